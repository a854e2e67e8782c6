"""The refresh command as a new team runs it: it publishes or exits non-zero saying why."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.fixtures.crm_exports import write_flat_list_with_outcomes, write_mqls_and_closed_deals
from tests.fixtures.refresh_runs import finish, refresh_environment, start_refresh
from warehouse_core.settings import REPOSITORY_ROOT


def test_a_team_without_closed_deals_still_gets_a_warehouse(tmp_path, sample_landing):
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing, landing)
    (landing / "crm_opportunities.csv").unlink()  # no deal yet: nothing to backtest or train on
    environment = refresh_environment(tmp_path, landing)
    log = tmp_path / "refresh.log"
    code, output = finish(start_refresh(environment, log), log)
    assert code == 0, output
    assert "Backtest skipped" in output
    warehouse = Path(environment["LEAD_WAREHOUSE_DUCKDB_PATH"])
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.sql("select count(*) from marts.fct_lead_scores").fetchall()[0][0] > 0
        backtests = connection.sql(
            "select count(*) from information_schema.tables where table_name like 'mart_backtest%'"
        ).fetchall()[0][0]
    assert backtests == 0
    summary = subprocess.run(
        [sys.executable, "-m", "reporting.summary"],
        cwd=REPOSITORY_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Backtest: not run yet" in summary


def test_a_refresh_that_does_not_publish_exits_non_zero_and_says_why(tmp_path, sample_landing):
    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(sample_landing / "crm_users.csv", landing)
    (landing / "crm_leads.csv").write_text("Lead ID,Email\nL1,a@example.com\n", encoding="utf-8")
    environment = refresh_environment(tmp_path, landing)
    log = tmp_path / "refresh.log"
    code, output = finish(start_refresh(environment, log), log)
    assert code == 1
    assert "did not publish the warehouse, because a step failed: raw__crm_leads" in output
    assert "crm_leads.csv has no column created_date, which raw.crm_leads needs" in output
    assert not Path(environment["LEAD_WAREHOUSE_DUCKDB_PATH"]).exists()


def test_own_exports_with_the_documented_command_and_nothing_else_set(tmp_path, sample_landing):
    # No DAGSTER_HOME, no landing variable: the command's options and the defaults in code suffice.
    environment = refresh_environment(tmp_path, tmp_path / "unused")
    environment.pop("LEAD_WAREHOUSE_LANDING_DIR")
    environment["DAGSTER_HOME"] = ""  # empty is unset for Dagster too
    log = tmp_path / "refresh.log"
    arguments = (
        "--landing",
        str(sample_landing),
        "--as-of",
        "2026-06-30",
        "--vars",
        '{"behavior_half_life_days": 45}',
    )
    code, output = finish(start_refresh(environment, log, arguments=arguments), log)
    assert code == 0, output
    assert (
        'dbt vars of this refresh: {"behavior_half_life_days": 45, "scoring_as_of": "2026-06-30"}' in output
    )
    with duckdb.connect(environment["LEAD_WAREHOUSE_DUCKDB_PATH"], read_only=True) as connection:
        [(as_of, leads)] = connection.sql(
            "select distinct scored_as_of, count(*) over () from marts.fct_lead_scores"
        ).fetchall()
    assert str(as_of) == "2026-06-30" and leads > 0
    assert (REPOSITORY_ROOT / ".dagster_home" / "dagster.yaml").exists()


def test_a_custom_column_declared_only_in_its_profile_reaches_staging(tmp_path, sample_landing):
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing, landing)
    leads = landing / "crm_leads.csv"
    with leads.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = [[*rows[0], "Budget Cycle"], *([*row, "上期"] for row in rows[1:])]
    with leads.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    profiles = tmp_path / "profiles"
    shutil.copytree(REPOSITORY_ROOT / "export_profiles", profiles)
    generated = profiles / "generated.yml"
    text = generated.read_text(encoding="utf-8")
    marker = '    file_pattern: "crm_leads*"\n    columns: snake_case\n'
    assert marker in text
    generated.write_text(
        text.replace(marker, marker + "    custom_attributes: {budget_cycle: Budget Cycle}\n"),
        encoding="utf-8",
    )
    environment = {**refresh_environment(tmp_path, landing), "LEAD_WAREHOUSE_PROFILES_DIR": str(profiles)}
    log = tmp_path / "refresh.log"
    code, output = finish(start_refresh(environment, log, arguments=("--as-of", "2026-06-30")), log)
    assert code == 0, output
    with duckdb.connect(environment["LEAD_WAREHOUSE_DUCKDB_PATH"], read_only=True) as connection:
        values = connection.sql(
            "select budget_cycle, count(*) from staging.stg_crm__leads group by 1"
        ).fetchall()
        attribute = connection.sql(
            "select count(*) from intermediate.int_lead_attributes where attribute = 'budget_cycle'"
        ).fetchall()[0][0]
    assert values == [("上期", len(rows) - 1 - _repeated(rows))] and attribute > 0


def _repeated(rows: list[list[str]]) -> int:
    """Rows of the export that repeat a lead (the generator writes some, as overlapping exports do)."""
    ids = [row[0] for row in rows[1:]]
    return len(ids) - len(set(ids))


def test_a_flat_list_with_an_outcome_column_and_no_dates_gets_a_warehouse(tmp_path):
    landing = tmp_path / "landing"
    converted = write_flat_list_with_outcomes(landing)
    environment = refresh_environment(tmp_path, landing)
    log = tmp_path / "refresh.log"
    code, output = finish(start_refresh(environment, log, arguments=("--as-of", "2026-06-30")), log)
    assert code == 0, output[-3000:]
    assert "has no created_date: the export's date 2026-06-30 stands in" in output
    assert "no account_id, account_name for export lead_list_companies: skipped" in output
    with duckdb.connect(environment["LEAD_WAREHOUSE_DUCKDB_PATH"], read_only=True) as connection:
        [(leads, won, scores)] = connection.sql(
            "select count(*), count(*) filter (where is_won), "
            "(select count(distinct total_score) from marts.fct_lead_scores) from marts.fct_lead_funnel"
        ).fetchall()
        unmapped = connection.sql(
            "select count from marts.mart_onboarding_summary where detail = '謎の流入元'"
        ).fetchall()
    assert (leads, won) == (40, converted) and converted > 0
    assert scores > 3  # rule scores differ between leads
    assert unmapped == [(8,)]


def test_an_mql_list_and_closed_deals_without_owners_or_amounts_get_a_warehouse(tmp_path):
    landing, profiles = tmp_path / "landing", tmp_path / "profiles"
    expected = write_mqls_and_closed_deals(landing, profiles)
    environment = {**refresh_environment(tmp_path, landing), "LEAD_WAREHOUSE_PROFILES_DIR": str(profiles)}
    log = tmp_path / "refresh.log"
    code, output = finish(start_refresh(environment, log, arguments=("--as-of", "2018-12-31")), log)
    assert code == 0, output[-3000:]
    with duckdb.connect(environment["LEAD_WAREHOUSE_DUCKDB_PATH"], read_only=True) as connection:
        [(mqls, won, days)] = connection.sql(
            "select count(*) filter (where first_mql_at is not null), count(*) filter (where is_won), "
            "median(days_created_to_close) from marts.fct_lead_funnel"
        ).fetchall()
        [(read, loaded)] = connection.sql(
            "select sum(rows_read), sum(rows_loaded) from raw._file_loads"
        ).fetchall()
        no_owner = connection.sql(
            "select detail from marts.mart_onboarding_summary where item = 'leads without an owner'"
        ).fetchall()
        # A CRM without an SQL status: a closed deal makes its lead an SQL, in the funnel and the KPIs.
        [(kpi_sqls, kpi_won_of_sqls, funnel_sqls)] = connection.sql(
            "select sum(sqls), sum(sqls_won), (select count(*) filter (where has_reached_sql) "
            "from marts.fct_lead_funnel) from marts.mart_kpi_monthly where channel_code = 'all'"
        ).fetchall()
    assert kpi_sqls == funnel_sqls == kpi_won_of_sqls == expected["won"]
    # Won dates carry a time of day in a date column: every deal keeps its date and reaches the funnel.
    assert (mqls, won, days) == (expected["mqls"], expected["won"], expected["days_to_close"])
    assert read == loaded == 2 * expected["mqls"] + expected["won"]  # the list is read for leads and MQLs
    assert no_owner == [(f"{expected['mqls']} of {expected['mqls']}",)]
