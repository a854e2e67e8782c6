"""The incremental event path: a day's delta built on yesterday's warehouse equals a full rebuild."""

import csv
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from bench.exports import two_days_of_exports
from export_loader import raw_load
from export_loader.publish import start_build
from orchestration.dbt_command import dbt_target_dir
from orchestration.project import dbt_project
from tests.conftest import as_of_vars, load_all_exports, run_dbt

FIRST_DAY = date(2026, 5, 31)
NEXT_DAY = FIRST_DAY + timedelta(days=1)
BUILD = ("build", "--exclude-resource-type", "unit_test")
# The full rebuild each incremental build is compared with: its rows are the reference, so its data tests
# (64 of about 100 node-seconds in a 600-lead build) would check nothing the compared build did not.
REBUILD = ("build", "--full-refresh", "--exclude-resource-type", "unit_test", "test")
INCREMENTAL_MODELS = (
    "stg_ma__activities",
    "stg_ma__email_events",
    "int_behavior_rule_hits_daily",
    "stg_crm__leads",
    "stg_crm__lead_status_history",
    "stg_crm__sales_activities",
    "stg_crm__bant_assessments",
    "stg_crm__opportunities",
    "stg_crm__account_versions",
)
# Scoring tables that hold only the moments a run scores (int_lead_moments_to_score): a past moment is
# scored once, so the full rebuild's rows are compared on the moments the incremental run scored. The
# tables that keep every moment (int_lead_scores, int_lead_attributes, int_lead_rule_evidence) and
# every mart are compared whole.
SCORED_IN_RUN = tuple(
    f"intermediate.{table}"
    for table in (
        "int_lead_moments_to_score",
        "int_lead_bant_latest",
        "int_lead_behavior_rule_points",
        "int_lead_buying_stages",
        "int_lead_disqualifications",
        "int_lead_score_components",
        "int_lead_unknown_attributes",
        "int_lead_top_reasons",
    )
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
    # And accounts change: one exported again as it was, one with a new version, one new.
    with (full / "crm_accounts.csv").open(encoding="utf-8") as source:
        header, unchanged, changed = list(csv.reader(source))[:3]
    changed_version = [*changed[:3], "9,999名", *changed[4:7], f"{FIRST_DAY:%Y/%m/%d} 18:00"]
    new_account = ["A9999999", "株式会社テスト", *changed[2:7], f"{FIRST_DAY:%Y/%m/%d} 19:00"]
    with (delta / "crm_accounts_changed.csv").open("w", encoding="utf-8", newline="") as target:
        csv.writer(target, quoting=csv.QUOTE_ALL).writerows([header, unchanged, changed_version, new_account])
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
                    f"select count(*) from (select * from {_rows(a, table)} "
                    f"except all select * from {_rows(b, table)})"
                ).fetchall()[0][0]
                for a, b in (("l", "r"), ("r", "l"))
            )
            if only_left or only_right:
                differences[table] = (only_left, only_right)
        return differences


def _rows(database: str, table: str) -> str:
    """The rows of `table` to compare: for a table of the moments scored in a run, those the left
    warehouse's run scored."""
    if table not in SCORED_IN_RUN:
        return f"{database}.{table}"
    return (
        f"(select t.* from {database}.{table} as t semi join l.intermediate.int_lead_moments_to_score as m "
        "on t.lead_id = m.lead_id and t.scoring_moment = m.scoring_moment)"
    )


def _ran_incrementally(model: str, project: Path) -> bool:
    """dbt writes a delete+insert into an existing table only on an incremental run."""
    compiled = next((dbt_target_dir(project) / "run").rglob(f"{model}.sql")).read_text(encoding="utf-8")
    return "delete from" in compiled.lower()


def test_a_days_delta_built_incrementally_equals_a_full_rebuild(two_days, first_day_warehouse, tmp_path):
    incremental = _copy(first_day_warehouse, tmp_path / "incremental")
    load_all_exports(incremental, two_days[1])
    run_dbt(incremental, *BUILD, "--vars", as_of_vars(NEXT_DAY))
    assert all(_ran_incrementally(model, dbt_project.project_dir) for model in INCREMENTAL_MODELS)

    rebuilt = _copy(incremental, tmp_path / "rebuilt")
    run_dbt(rebuilt, *REBUILD, "--vars", as_of_vars(NEXT_DAY))
    assert not _ran_incrementally("stg_ma__activities", dbt_project.project_dir)
    assert _differences(incremental, rebuilt) == {}
    scored, moments, past_scored = _moments_scored(incremental)
    assert past_scored > 0  # new leads' moments and those of leads with the day's evidence
    assert scored < moments  # the other past moments were kept, not scored again

    with duckdb.connect(str(incremental), read_only=True) as connection:
        new_events, held, raw_ids = connection.execute(
            "select count(*) filter (where activity_at >= '2026-05-30 21:00'), count(*), "
            "(select count(distinct trim(activity_id)) from raw.ma_activities) "
            "from staging.stg_ma__activities"
        ).fetchall()[0]
    assert new_events > 0 and held == raw_ids  # the day's events arrived; repeated rows appear once


def _moments_scored(database: Path) -> tuple[int, int, int]:
    """Moments the last run scored, moments that exist, past moments the last run scored."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select (select count(*) from intermediate.int_lead_moments_to_score), "
            "(select count(*) from intermediate.int_lead_scoring_moments), "
            "(select count(*) from intermediate.int_lead_moments_to_score where scoring_moment <> 'as_of')"
        ).fetchall()[0]


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
    run_dbt(rebuilt, *REBUILD, "--vars", as_of_vars(NEXT_DAY), project_dir=project)
    assert _differences(incremental, rebuilt) == {}
    scored, moments, _ = _moments_scored(incremental)
    assert scored == moments  # the rules changed: every past moment is scored again
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
    run_dbt(rebuilt, *REBUILD, "--vars", next_day_vars)
    assert _differences(incremental, rebuilt) == {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        [(sal,)] = connection.execute(
            "select count(*) from staging.stg_crm__lead_status_history where status = 'sal'"
        ).fetchall()
    assert sal == 0


def test_evidence_arriving_late_for_a_past_moment_scores_that_moment_again(
    two_days, first_day_warehouse, tmp_path
):
    # The next day's export brings web visits of one lead dated weeks before its decision moment (a
    # late sync): that lead's decision score is computed again; other past moments are kept.
    with duckdb.connect(str(first_day_warehouse), read_only=True) as connection:
        lead_id, decision_date, evidence_before = connection.execute(
            "select e.lead_id, s.as_of_date, sum(e.evidence_count) "
            "from intermediate.int_lead_rule_evidence e "
            "join intermediate.int_lead_scores s using (lead_id, scoring_moment) "
            "where e.scoring_moment = 'decision' and e.score_component = 'behavior' "
            "group by 1, 2 order by 3 desc, 1 limit 1"
        ).fetchall()[0]
    with (two_days[0] / "ma_activities.csv").open(encoding="utf-8") as source:
        header, *rows = list(csv.reader(source))
    late = [
        [f"LATE{number:011d}", *row[1:]]
        for number, row in enumerate(rows)
        if row[1] == lead_id and date.fromisoformat(row[3][:10]) < decision_date - timedelta(days=1)
    ]
    assert late
    delta = Path(shutil.copytree(two_days[1], tmp_path / "delta"))
    with (delta / "ma_activities_late.csv").open("w", encoding="utf-8", newline="") as target:
        csv.writer(target, quoting=csv.QUOTE_ALL).writerows([header, *late])

    incremental = _copy(first_day_warehouse, tmp_path / "incremental")
    load_all_exports(incremental, delta)
    run_dbt(incremental, *BUILD, "--vars", as_of_vars(NEXT_DAY))
    rebuilt = _copy(incremental, tmp_path / "rebuilt")
    run_dbt(rebuilt, *REBUILD, "--vars", as_of_vars(NEXT_DAY))
    assert _differences(incremental, rebuilt) == {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        [(evidence_after,)] = connection.execute(
            "select sum(evidence_count) from intermediate.int_lead_rule_evidence "
            "where lead_id = $lead and scoring_moment = 'decision' and score_component = 'behavior'",
            {"lead": lead_id},
        ).fetchall()
        [(rescored,)] = connection.execute(
            "select count(*) from intermediate.int_lead_moments_to_score "
            "where lead_id = $lead and scoring_moment = 'decision'",
            {"lead": lead_id},
        ).fetchall()
    assert rescored == 1 and evidence_after > evidence_before
    scored, moments, _ = _moments_scored(incremental)
    assert scored < moments


def test_the_scoring_fingerprint_covers_every_var_but_the_as_of_date():
    # A var the fingerprint missed would let a changed setting keep yesterday's past-moment scores.
    macro = (dbt_project.project_dir / "macros" / "build_inputs.sql").read_text(encoding="utf-8")
    listed = re.search(r"fingerprinted_vars\(\).*?return\(\[(.*?)\]\)", macro, re.S)
    assert listed
    fingerprinted = set(re.findall(r"'(\w+)'", listed.group(1)))
    project = yaml.safe_load((dbt_project.project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    assert fingerprinted == set(project["vars"]["lead_warehouse"]) - {"scoring_as_of"}


def _compiled_test(test_name: str) -> str:
    return next((dbt_target_dir() / "run").rglob(f"{test_name}.sql")).read_text(encoding="utf-8")


def _checks_new_rows_only(test_name: str) -> bool:
    return "loaded_at >= cast(" in _compiled_test(test_name)


def _checks_scored_moments_only(test_name: str) -> bool:
    return "int_lead_moments_to_score" in _compiled_test(test_name)


def test_tests_look_at_the_days_rows_and_moments_while_the_build_inputs_are_unchanged(
    two_days, first_day_warehouse, tmp_path
):
    # The first day's build passed in full and recorded its inputs; a refresh the next day checks the
    # rows it loaded. A changed var may have re-read the held rows: then every row is checked again.
    build = tmp_path / "warehouse.building.next-day.duckdb"
    start_build(first_day_warehouse, build, "next-day")
    load_all_exports(build, two_days[1])
    run_dbt(build, *BUILD, "--vars", as_of_vars(NEXT_DAY))
    assert _checks_new_rows_only("not_null_stg_ma__activities_activity_id")
    assert _checks_new_rows_only("raw_values_reach_staging_stg_crm__leads")
    # The tables that keep every moment: the moments this run scored (every lead as of today, few past).
    assert _checks_scored_moments_only("unique_combination_int_lead_scores_lead_id__scoring_moment")
    with duckdb.connect(str(build), read_only=True) as connection:
        checked, held, scored, kept = connection.execute(
            "select (select count(*) from staging.stg_ma__activities"
            " where loaded_at >= (select max(started_at) from raw._build_runs)), "
            "(select count(*) from staging.stg_ma__activities), "
            "(select count(*) from intermediate.int_lead_moments_to_score), "
            "(select count(*) from intermediate.int_lead_scores)"
        ).fetchall()[0]
    assert 0 < checked < held
    assert 0 < scored < kept

    statuses = {**raw_load.dbt_vars()["lead_statuses"], "SAL": "mql"}
    run_dbt(
        build,
        *BUILD,
        "--vars",
        json.dumps({"scoring_as_of": NEXT_DAY.isoformat(), "lead_statuses": statuses}),
    )
    assert not _checks_new_rows_only("not_null_stg_ma__activities_activity_id")
    assert not _checks_scored_moments_only("unique_combination_int_lead_scores_lead_id__scoring_moment")
    run_dbt(build, *BUILD, "--full-refresh", "--vars", as_of_vars(NEXT_DAY))
    assert not _checks_new_rows_only("not_null_stg_ma__activities_activity_id")
    assert not _checks_scored_moments_only("unique_combination_int_lead_scores_lead_id__scoring_moment")
