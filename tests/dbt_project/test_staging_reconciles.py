"""The dbt build on generated exports: staging reconciles with raw, marts carry no personal data."""

import duckdb
import pytest

# staging model -> the raw table and the natural key that staging deduplicates on
STAGING_KEYS = {
    "stg_crm__accounts": ("crm_accounts", "account_id"),
    "stg_crm__users": ("crm_users", "user_id"),
    "stg_crm__leads": ("crm_leads", "lead_id"),
    "stg_crm__lead_status_history": ("crm_lead_status_history", "lead_id, status, changed_date"),
    "stg_crm__sales_activities": ("crm_sales_activities", "task_id"),
    "stg_crm__bant_assessments": ("crm_bant_assessments", "assessment_id"),
    "stg_crm__opportunities": ("crm_opportunities", "opportunity_id"),
    "stg_ma__activities": ("ma_activities", "activity_id"),
    "stg_ma__email_events": ("ma_email_events", "event_id"),
    "stg_marketing__spend_monthly": ("marketing_spend_monthly", "month, channel"),
}
PERSONAL_DATA_COLUMNS = {"email", "phone", "last_name", "first_name", "full_name"}


@pytest.fixture(scope="module")
def warehouse(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        yield connection


def _count(connection, sql):
    return connection.sql(sql).fetchall()[0][0]


@pytest.mark.parametrize("model", sorted(STAGING_KEYS))
def test_staging_has_one_row_per_distinct_raw_key(warehouse, model):
    raw_table, key = STAGING_KEYS[model]
    raw_keys = _count(warehouse, f"select count(*) from (select distinct {key} from raw.{raw_table})")
    assert _count(warehouse, f"select count(*) from staging.{model}") == raw_keys > 0


def test_repeated_export_rows_were_removed(warehouse):
    # The generator repeats some leads and activities, as overlapping exports do.
    assert _count(warehouse, "select count(*) from raw.crm_leads") > _count(
        warehouse, "select count(*) from staging.stg_crm__leads"
    )
    assert _count(warehouse, "select count(*) from raw.ma_activities") > _count(
        warehouse, "select count(*) from staging.stg_ma__activities"
    )


def test_every_timestamp_is_japan_time_minus_nine_hours(warehouse):
    mismatches = _count(
        warehouse,
        """
        select count(*)
        from staging.stg_crm__leads as staged
        join raw.crm_leads as raw
            on staged.lead_id = raw.lead_id
        where strftime(staged.created_at + interval 9 hour, '%Y/%m/%d %H:%M') <> raw.created_date
    """,
    )
    assert mismatches == 0


def test_every_prefecture_and_most_figures_were_understood(warehouse):
    unresolved = _count(warehouse, "select count(*) from staging.stg_crm__accounts where prefecture is null")
    assert unresolved == 0
    readable = _count(
        warehouse,
        """
        select count(*) from raw.crm_accounts
        where nullif(annual_revenue, '') is not null and annual_revenue <> '非公開'
    """,
    )
    parsed = _count(warehouse, "select count(annual_revenue_jpy) from staging.stg_crm__accounts")
    assert parsed == readable


def test_dim_leads_has_every_lead_and_no_personal_data(warehouse):
    assert _count(warehouse, "select count(*) from marts.dim_leads") == _count(
        warehouse, "select count(*) from staging.stg_crm__leads"
    )
    mart_columns = {
        row[0]
        for row in warehouse.sql(
            "select column_name from information_schema.columns where table_schema = 'marts'"
        ).fetchall()
    }
    assert not mart_columns & PERSONAL_DATA_COLUMNS
    text_columns = warehouse.sql(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in text_columns:
        assert _count(warehouse, f"select count(*) from marts.{table} where {column} like '%@%'") == 0, (
            table,
            column,
        )


def test_schemas_have_clean_names(warehouse):
    schemas = {
        row[0]
        for row in warehouse.sql("select distinct table_schema from information_schema.tables").fetchall()
    }
    assert {"raw", "staging", "intermediate", "marts", "seeds", "snapshots"} <= schemas
    assert not any(schema.startswith("main_") for schema in schemas)
