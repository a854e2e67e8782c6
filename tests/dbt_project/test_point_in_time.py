"""A build as of a past date shows nothing later: no mart holds a date or time after the end of that
Japan day, the lead marts reconcile (dim_leads has the leads the scores and the funnel have), and an
account changed after that date shows as it was then, in the dims and in what the rules score."""

from datetime import date, datetime, time, timedelta

import duckdb

from tests.conftest import as_of_vars, run_dbt

PAST_AS_OF = date(2026, 3, 31)
# The history of daily runs keeps the days scored before (here 2026-06-30): a rebuild adds its day.
RUN_HISTORY = {"fct_lead_scores_daily"}


def _export_a_later_version_of_an_account(warehouse) -> tuple[str, int]:
    """As a second accounts export would: one account with leads grew to 99,999 employees in May."""
    with duckdb.connect(str(warehouse)) as connection:
        account_id, employees = connection.sql(
            "select account_id, employee_count from staging.stg_crm__accounts where employee_count < 500 "
            "and account_id in (select account_id from staging.stg_crm__leads "
            "where created_at < '2026-03-01') order by account_id limit 1"
        ).fetchall()[0]
        connection.execute(
            # The time as exported, and as the loader parses it when it checks the row.
            "insert into raw.crm_accounts select * replace ('99,999' as employees, "
            "'2026/05/01 10:00' as last_modified_date, "
            "timestamp '2026-05-01 10:00' as _parsed_last_modified_date, "
            "'crm_accounts_may.csv' as _source_file, "
            "_loaded_at + interval 1 day as _loaded_at) from raw.crm_accounts where account_id = ?",
            [account_id],
        )
    return account_id, employees


def test_a_past_as_of_date_shows_nothing_after_it_in_any_mart(scratch_warehouse):
    account_id, employees_in_march = _export_a_later_version_of_an_account(scratch_warehouse)
    # The sample data runs to 2026-06-30; the whole build, tests included, is redone as of March.
    run_dbt(
        scratch_warehouse, "build", "--exclude-resource-type", "unit_test", "--vars", as_of_vars(PAST_AS_OF)
    )
    end_utc = datetime.combine(PAST_AS_OF + timedelta(days=1), time()) - timedelta(hours=9)
    later = {}
    with duckdb.connect(str(scratch_warehouse), read_only=True) as connection:
        columns = connection.sql(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and (data_type = 'DATE' or data_type like 'TIMESTAMP%') "
            "and table_name not in (select unnest(?))",
            params=[sorted(RUN_HISTORY)],
        ).fetchall()
        for table, column, data_type in columns:
            limit = PAST_AS_OF if data_type == "DATE" else end_utc
            found = connection.execute(
                f'select count(*) from marts."{table}" where "{column}" > ?', [limit]
            ).fetchall()[0][0]
            if found:
                later[f"{table}.{column}"] = found
        leads = connection.sql("select count(*), max(created_date) from marts.dim_leads").fetchall()[0]
        history = connection.sql(
            "select distinct scored_as_of from marts.fct_lead_scores_daily order by 1"
        ).fetchall()
        employees = connection.execute(
            "select (select employee_count from staging.stg_crm__accounts where account_id = $1), "
            "(select employee_count from marts.dim_accounts where account_id = $1), "
            "(select list(distinct employee_count) from marts.dim_leads where account_id = $1), "
            "(select list(distinct attributes.value_number) "
            " from intermediate.int_lead_attributes as attributes inner join marts.dim_leads using (lead_id) "
            " where account_id = $1 and attributes.attribute = 'employee_count')",
            [account_id],
        ).fetchall()[0]
    assert len(columns) > 20
    assert not later, later
    assert leads[0] > 0 and leads[1] <= PAST_AS_OF
    assert (PAST_AS_OF,) in history
    # Staging holds the newest version; everything as of March reads the account as it was then.
    assert employees == (99_999, employees_in_march, [employees_in_march], [employees_in_march])
