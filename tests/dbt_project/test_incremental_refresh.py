"""The incremental event path: a day's delta built on yesterday's warehouse equals a full rebuild."""

import csv
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from bench.exports import two_days_of_exports
from orchestration import raw_load
from orchestration.project import dbt_project
from tests.conftest import as_of_vars, load_all_exports, run_dbt

FIRST_DAY = date(2026, 5, 31)
NEXT_DAY = FIRST_DAY + timedelta(days=1)
BUILD = ("build", "--exclude-resource-type", "unit_test")
INCREMENTAL_MODELS = (
    "stg_ma__activities",
    "stg_ma__email_events",
    "int_behavior_rule_hits_daily",
    "stg_crm__leads",
    "stg_crm__lead_status_history",
    "stg_crm__sales_activities",
    "stg_crm__bant_assessments",
    "stg_crm__opportunities",
)


@pytest.fixture(scope="module")
def two_days(tmp_path_factory) -> tuple[Path, Path]:
    full, delta = two_days_of_exports(
        tmp_path_factory.mktemp("bench-cache"), 400, 5, FIRST_DAY, chunk_size=200, progress=lambda _: None
    )
    # The next day's MA export overlaps the previous one: some activities come again.
    with (full / "ma_activities.csv").open(encoding="utf-8") as source:
        overlap = list(csv.reader(source))[:6]
    with (delta / "ma_activities_overlap.csv").open("w", encoding="utf-8", newline="") as target:
        csv.writer(target, quoting=csv.QUOTE_ALL).writerows(overlap)
    return full, delta


@pytest.fixture(scope="module")
def first_day_warehouse(two_days, tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("first-day") / "warehouse.duckdb"
    load_all_exports(database, two_days[0])
    run_dbt(database, *BUILD, "--vars", as_of_vars(FIRST_DAY))
    return database


def _copy(database: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(database, folder / database.name))


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Rows in one warehouse's tables and not in the other's, per built table (raw is the input)."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        tables = connection.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = 'l' and schema_name not in ('raw', 'seeds') order by 1"
        ).fetchall()
        assert len(tables) > 30
        differences = {}
        for (table,) in tables:
            only_left, only_right = (
                connection.execute(
                    f"select count(*) from (select * from {a}.{table} except all select * from {b}.{table})"
                ).fetchall()[0][0]
                for a, b in (("l", "r"), ("r", "l"))
            )
            if only_left or only_right:
                differences[table] = (only_left, only_right)
        return differences


def _ran_incrementally(model: str, project: Path) -> bool:
    """dbt writes a delete+insert into an existing table only on an incremental run."""
    compiled = next((project / "target" / "run").rglob(f"{model}.sql")).read_text(encoding="utf-8")
    return "delete from" in compiled.lower()


def test_a_days_delta_built_incrementally_equals_a_full_rebuild(two_days, first_day_warehouse, tmp_path):
    incremental = _copy(first_day_warehouse, tmp_path / "incremental")
    load_all_exports(incremental, two_days[1])
    run_dbt(incremental, *BUILD, "--vars", as_of_vars(NEXT_DAY))
    assert all(_ran_incrementally(model, dbt_project.project_dir) for model in INCREMENTAL_MODELS)

    rebuilt = _copy(incremental, tmp_path / "rebuilt")
    run_dbt(rebuilt, *BUILD, "--full-refresh", "--vars", as_of_vars(NEXT_DAY))
    assert not _ran_incrementally("stg_ma__activities", dbt_project.project_dir)
    assert _differences(incremental, rebuilt) == {}

    with duckdb.connect(str(incremental), read_only=True) as connection:
        new_events, held, raw_ids = connection.execute(
            "select count(*) filter (where activity_at >= '2026-05-30 21:00'), count(*), "
            "(select count(distinct trim(activity_id)) from raw.ma_activities) "
            "from staging.stg_ma__activities"
        ).fetchall()[0]
    assert new_events > 0 and held == raw_ids  # the day's events arrived; repeated rows appear once


def test_changing_how_a_behaviour_rule_matches_recounts_the_history(two_days, first_day_warehouse, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(dbt_project.project_dir, project, ignore=shutil.ignore_patterns("target", "logs"))
    rules_file = project / "seeds" / "scoring" / "behavior_rules.csv"
    rules = rules_file.read_text(encoding="utf-8")
    assert "/pricing%" in rules
    rules_file.write_text(rules.replace("/pricing%", "/products%"), encoding="utf-8")

    incremental = _copy(first_day_warehouse, tmp_path / "incremental")
    load_all_exports(incremental, two_days[1])
    run_dbt(incremental, *BUILD, "--vars", as_of_vars(NEXT_DAY), project_dir=project)
    rebuilt = _copy(incremental, tmp_path / "rebuilt")
    run_dbt(rebuilt, *BUILD, "--full-refresh", "--vars", as_of_vars(NEXT_DAY), project_dir=project)
    assert _differences(incremental, rebuilt) == {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        fingerprints = connection.execute(
            "select count(distinct rules_fingerprint) from intermediate.int_behavior_rule_hits_daily"
        ).fetchall()[0][0]
    assert fingerprints == 1


def test_reading_an_export_another_way_reads_the_held_records_again(two_days, first_day_warehouse, tmp_path):
    # A team maps the CRM's "SAL" status to mql from the next day on: every held status change is read
    # again with the new mapping, not only the day's delta.
    statuses = {**raw_load.dbt_vars()["lead_statuses"], "SAL": "mql"}
    next_day_vars = json.dumps({"scoring_as_of": NEXT_DAY.isoformat(), "lead_statuses": statuses})
    incremental = _copy(first_day_warehouse, tmp_path / "incremental")
    load_all_exports(incremental, two_days[1])
    run_dbt(incremental, *BUILD, "--vars", next_day_vars)
    rebuilt = _copy(incremental, tmp_path / "rebuilt")
    run_dbt(rebuilt, *BUILD, "--full-refresh", "--vars", next_day_vars)
    assert _differences(incremental, rebuilt) == {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        [(sal,)] = connection.execute(
            "select count(*) from staging.stg_crm__lead_status_history where status = 'sal'"
        ).fetchall()
    assert sal == 0
