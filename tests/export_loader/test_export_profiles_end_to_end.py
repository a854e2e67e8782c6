"""HubSpot-style and Salesforce-style exports, loaded through their profiles and built into scores."""

from datetime import date

import duckdb
import pytest

from export_loader.raw_exports import RAW_EXPORTS
from export_loader.raw_load import load_export
from tests.conftest import as_of_vars, run_dbt
from tests.fixtures.crm_exports import write_hubspot_exports, write_salesforce_exports

AS_OF = date(2026, 6, 30)


def _build(tmp_path, write_exports):
    landing, database = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    write_exports(landing)
    with duckdb.connect(str(database)) as connection:
        results = {export.table: load_export(connection, export, landing) for export in RAW_EXPORTS}
    run_dbt(database, "build", "--vars", as_of_vars(AS_OF))
    return database, results


def _rows(database, sql):
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.parametrize("scored_as_of", [AS_OF])
def test_hubspot_exports_become_scored_leads_with_their_funnel(tmp_path, scored_as_of):
    database, results = _build(tmp_path, write_hubspot_exports)
    assert results["crm_leads"].rows_loaded == 4 and results["crm_accounts"].rows_loaded == 2
    history = results["crm_lead_status_history"]
    assert (history.rows_read, history.rows_loaded, history.records_loaded) == (
        4,
        4,
        7,
    )  # 4 new, 2 MQL, 1 SQL
    assert results["ma_activities"].note  # HubSpot exports carry no MA log: an empty table, said so
    scores = dict(_rows(database, "select lead_id, total_score from marts.fct_lead_scores"))
    assert set(scores) == {"101", "102", "103", "104"}
    leads = {
        row[0]: row[1:]
        for row in _rows(
            database, "select lead_id, channel_code, created_at, account_id from marts.dim_leads"
        )
    }
    assert leads["101"][0] == "web_ads" and leads["102"][0] == "organic_search"
    assert str(leads["101"][1]) == "2026-03-02 01:15:00"  # 10:15 in Tokyo, stored in UTC
    assert leads["104"][2] == "9002"  # the first of several associated companies
    funnel = {
        row[0]: row[1:]
        for row in _rows(
            database, "select lead_id, has_reached_mql, has_reached_sql, is_won from marts.fct_lead_funnel"
        )
    }
    assert funnel["101"] == (True, True, True) and funnel["102"] == (False, False, False)
    student = _rows(database, "select is_disqualified from marts.fct_lead_scores where lead_id = '103'")
    assert student == [(True,)]  # 学生: the student disqualifier applies to HubSpot leads too
    custom = _rows(
        database,
        "select value_text from intermediate.int_lead_attributes "
        "where lead_id = '101' and attribute = 'interested_product' and scoring_moment = 'as_of'",
    )
    assert custom == [("リードスコアリング",)]


def test_salesforce_exports_in_shift_jis_become_scored_leads(tmp_path):
    database, results = _build(tmp_path, write_salesforce_exports)
    assert results["crm_leads"].files[0].encoding == "cp932"
    assert (results["crm_leads"].rows_loaded, results["crm_accounts"].rows_loaded) == (3, 3)
    accounts = _rows(database, "select account_name, employee_count from marts.dim_accounts order by 1")
    assert accounts == [("デルタ合同会社", 40), ("株式会社ガンマ", 3000)]  # one account per company
    statuses = dict(_rows(database, "select lead_id, has_reached_sql from marts.fct_lead_funnel"))
    assert statuses == {"00Q5j00000A1": True, "00Q5j00000A2": False, "00Q5j00000A3": False}
    won = _rows(database, "select lead_id, won_amount_jpy from marts.fct_lead_funnel where is_won")
    assert won == [("00Q5j00000A1", 12_000_000)]
    opted_out = _rows(
        database,
        "select lead_id, is_email_opted_out, is_do_not_contact, is_disqualified, total_score > 0 "
        "from marts.dim_leads inner join marts.fct_lead_scores using (lead_id) "
        "where lead_id = '00Q5j00000A2'",
    )
    assert opted_out == [("00Q5j00000A2", True, False, False, True)]  # opted out of e-mail, still scored
    titles = dict(_rows(database, "select lead_id, job_title from staging.stg_crm__leads"))
    assert titles["00Q5j00000A3"] is None  # "--なし--" is Salesforce's empty picklist value
    assert len(_rows(database, "select * from marts.fct_lead_scores")) == 3


def test_a_flat_lead_list_is_scored_on_its_aggregated_behaviour(tmp_path):
    from tests.fixtures.crm_exports import write_lead_list

    database, results = _build(tmp_path, write_lead_list)
    assert (results["crm_leads"].rows_loaded, results["crm_accounts"].rows_loaded) == (3, 3)
    lines = _rows(
        database,
        "select lead_id, rule_id from marts.fct_lead_score_components "
        "where rule_id like 'BEH-LIST-%' order by all",
    )
    # L-1: 12 visits, 25 minutes, active 5 days before the as-of date; L-2 did too little; L-3 is blank.
    assert lines == [("L-1", "BEH-LIST-RECENT"), ("L-1", "BEH-LIST-TIME"), ("L-1", "BEH-LIST-VISITS")]
    behaviour = dict(_rows(database, "select lead_id, behavior_score from marts.fct_lead_scores"))
    assert behaviour["L-1"] == 30 and behaviour["L-2"] == 0 and behaviour["L-3"] == 0


def test_marketo_activity_log_splits_into_web_activities_and_email_events(tmp_path):
    from tests.fixtures.crm_exports import write_marketo_exports

    database, results = _build(tmp_path, write_marketo_exports)
    web, email = results["ma_activities"], results["ma_email_events"]
    assert (web.rows_read, web.rows_loaded, web.rows_not_selected) == (5, 2, 3)
    assert (email.rows_read, email.rows_loaded, email.rows_not_selected) == (5, 2, 3)
    activities = _rows(
        database, "select activity_type, activity_at from staging.stg_ma__activities order by 2"
    )
    assert [row[0] for row in activities] == ["page_view", "form_submit"]
    assert str(activities[0][1]) == "2026-06-20 01:00:00"  # UTC in, UTC out
    events = _rows(database, "select event_type from staging.stg_ma__email_events order by 1")
    assert events == [("click",), ("open",)]
    assert _rows(database, "select behavior_score > 0 from marts.fct_lead_scores") == [(True,)]


def test_deltas_then_an_older_full_export_keep_the_newest_version_and_late_events(tmp_path):
    from tests.fixtures.crm_exports import HUBSPOT_CONTACTS, contacts_csv

    database, _ = _build(tmp_path, write_hubspot_exports)
    landing = tmp_path / "landing"
    newer = list(HUBSPOT_CONTACTS[1])
    newer[4], newer[8], newer[9] = "部長", "2026-06-20 09:00", "2026-06-15 10:00"  # title, modified, MQL date
    (landing / "hubspot-contacts-2026-06-20-delta.csv").write_text(
        contacts_csv([tuple(newer)]), encoding="utf-8"
    )
    # A full export taken before the delta (102 in its old version, plus a new contact 105), dropped
    # after it: the older version of 102 must not win.
    added = (
        "105",
        "健太",
        "小林",
        "kenta@alpha-kk.co.jp",
        "主任",
        "Paid Social",
        "Lead",
        "2026-06-01 09:00",
        "2026-06-01 09:00",
        "",
        "",
        "9001",
        "",
    )
    (landing / "hubspot-contacts-2026-06-01-full.csv").write_text(
        contacts_csv([*HUBSPOT_CONTACTS, added]), encoding="utf-8"
    )
    with duckdb.connect(str(database)) as connection:
        reloaded = {export.table: load_export(connection, export, landing) for export in RAW_EXPORTS}
        raw_leads = connection.execute("select count(*) from raw.crm_leads").fetchall()[0][0]
    assert [f.skipped for f in reloaded["crm_leads"].files] == [True, False, False]
    assert raw_leads == 4 + 1 + 5
    run_dbt(database, "build", "--vars", as_of_vars(AS_OF))
    leads = dict(_rows(database, "select lead_id, job_title from staging.stg_crm__leads"))
    assert len(leads) == 5 and leads["102"] == "部長"
    funnel = dict(_rows(database, "select lead_id, has_reached_mql from marts.fct_lead_funnel"))
    assert funnel["102"] is True  # the MQL date that arrived late counts from this run on
