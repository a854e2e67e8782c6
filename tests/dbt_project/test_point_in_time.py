"""A build as of a past date shows nothing later: no mart holds a date or time after the end of that
Japan day, and the lead marts reconcile (dim_leads has the leads the scores and the funnel have)."""

from datetime import date, datetime, time, timedelta

import duckdb

from tests.conftest import as_of_vars, run_dbt

PAST_AS_OF = date(2026, 3, 31)
# The history of daily runs keeps the days scored before (here 2026-06-30): a rebuild adds its day.
RUN_HISTORY = {"fct_lead_scores_daily"}


def test_a_past_as_of_date_shows_nothing_after_it_in_any_mart(scratch_warehouse):
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
    assert len(columns) > 20
    assert not later, later
    assert leads[0] > 0 and leads[1] <= PAST_AS_OF
    assert (PAST_AS_OF,) in history
