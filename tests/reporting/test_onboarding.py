"""The onboarding summary: what the warehouse understood of the exports, with the seed to edit."""

import duckdb

from reporting.onboarding import COLUMNS, SECTIONS, onboarding_summary, render


def test_the_summary_reconciles_and_points_at_the_gaps(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as connection:
        # A lead source and an industry the seeds do not know, and a lead nobody owns.
        connection.execute(
            "update intermediate.int_leads_joined_to_accounts set lead_source = '謎の流入元', "
            "channel_code = 'unmapped' where lead_id in "
            "(select lead_id from intermediate.int_leads_joined_to_accounts order by lead_id limit 3)"
        )
        industries = connection.sql("select count(*) from staging.stg_crm__accounts").fetchall()[0][0]
        connection.execute("update staging.stg_crm__accounts set industry = '宇宙産業'")
        connection.execute(
            "update marts.fct_lead_funnel set owner_user_id = null where lead_id = "
            "(select min(lead_id) from marts.fct_lead_funnel)"
        )
        unknown_revenue = connection.sql(
            "select count(*) from intermediate.int_lead_unknown_attributes "
            "where scoring_moment = 'as_of' and attribute = 'annual_revenue_jpy'"
        ).fetchall()[0][0]
        summary = onboarding_summary(connection)
        read = connection.sql("select sum(rows_read) from raw._file_loads").fetchall()[0][0]
        leads = connection.sql("select count(*) from marts.fct_lead_funnel").fetchall()[0][0]
    assert list(summary.columns) == COLUMNS and set(summary["section"]) <= set(SECTIONS)
    files = summary[summary["section"] == "files"]
    assert len(files) == 10 and files["count"].sum() == read
    unmapped = summary[summary["section"] == "values not in the mapping seeds"].set_index("detail")
    assert unmapped.loc["謎の流入元", "count"] == 3
    assert "lead_source_channels.csv" in unmapped.loc["謎の流入元", "what_to_do"]
    assert unmapped.loc["宇宙産業", "count"] == industries
    gaps = summary[summary["section"] == "leads"].set_index("item")
    assert gaps.loc["leads without an owner", "detail"] == f"1 of {leads:,}"
    unknown = summary[summary["section"] == "unknown to the scoring rules"].set_index("item")
    assert unknown_revenue > 0
    assert unknown.loc["annual_revenue_jpy (annual revenue)", "count"] == unknown_revenue
    assert unknown.loc["annual_revenue_jpy (annual revenue)", "share"] == unknown_revenue / leads
    fill = summary[summary["section"] == "fill rates"].set_index("item")
    assert fill.loc["crm_leads.lead_id", "share"] == 1.0
    text = render(summary)
    assert "謎の流入元" in text and "→ add it to dbt_project/seeds/mappings/lead_source_channels.csv" in text
