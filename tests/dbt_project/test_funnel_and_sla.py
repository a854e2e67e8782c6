"""Funnel, SLA and KPI marts on generated data reconcile with each other and with the CRM."""

import duckdb
import pytest

from tests.conftest import SAMPLE_AS_OF

STAGES = ["has_reached_mql", "has_reached_sal", "has_reached_sql", "has_reached_opportunity", "is_won"]


@pytest.fixture(scope="module")
def warehouse(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        yield connection


def _one(connection, sql):
    return connection.sql(sql).fetchall()[0]


def test_each_stage_count_is_at_least_the_next(warehouse):
    counts = _one(
        warehouse,
        "select " + ", ".join(f"count(*) filter (where {s})" for s in STAGES) + " from marts.fct_lead_funnel",
    )
    assert counts[0] > 0 and counts[-1] > 0
    assert all(earlier >= later for earlier, later in zip(counts, counts[1:], strict=False))


def test_funnel_has_one_row_per_lead_and_conversion_counts_add_up(warehouse):
    leads, mqls, won = _one(
        warehouse,
        "select count(*), count(*) filter (where has_reached_mql), "
        "count(*) filter (where is_won) from marts.fct_lead_funnel",
    )
    assert (
        leads
        == _one(
            warehouse, f"select count(*) from marts.dim_leads where created_date <= date '{SAMPLE_AS_OF}'"
        )[0]
    )
    assert (leads, mqls, won) == _one(
        warehouse, "select sum(leads), sum(mqls), sum(won) from marts.mart_funnel_conversion"
    )


def test_sla_rows_are_the_handed_off_leads(warehouse):
    handed_off = _one(
        warehouse,
        f"""
        select count(distinct lead_id) from staging.stg_crm__lead_status_history
        where status = 'mql' and changed_at < timestamp '{SAMPLE_AS_OF} 15:00:00'
    """,
    )[0]
    assert _one(warehouse, "select count(*) from marts.fct_sla_lead_response")[0] == handed_off > 0
    monthly = _one(
        warehouse,
        "select sum(handoffs) from marts.mart_sla_compliance_monthly where breakdown = 'total'",
    )[0]
    by_owner = _one(
        warehouse,
        "select sum(handoffs) from marts.mart_sla_compliance_monthly where breakdown = 'by_owner'",
    )[0]
    assert monthly == by_owner == handed_off
    # Every handoff is met, missed or pending, and the decided ones make the share within the SLA.
    met, missed, pending, handoffs, share = _one(
        warehouse,
        "select sum(sla_met), sum(sla_missed), sum(sla_pending), sum(handoffs), "
        "sum(sla_met) / sum(sla_met + sla_missed) from marts.mart_sla_compliance_monthly "
        "where breakdown = 'total'",
    )
    assert met + missed + pending == handoffs and met > 0 and missed > 0
    assert (
        share
        == _one(
            warehouse,
            "select count(*) filter (where sla_status = 'met') "
            "/ count(*) filter (where sla_status <> 'pending') from marts.fct_sla_lead_response",
        )[0]
    )


def test_contacted_leads_have_three_clocks_in_order(warehouse):
    # Working hours <= hours with weekends paused <= calendar hours, and the target's clock is one of them.
    broken = _one(
        warehouse,
        """
        select count(*) from marts.fct_sla_lead_response
        where is_contacted
          and (response_hours_business is null or response_hours_business > response_hours_paused
               or response_hours_paused > response_hours_calendar or response_hours <> response_hours_paused)
    """,
    )[0]
    assert broken == 0


def test_kpi_channels_add_up_to_the_month(warehouse):
    mismatched = _one(
        warehouse,
        """
        with by_channel as (
            select kpi_month, sum(new_leads) as leads, sum(new_customers) as customers,
                sum(won_deals) as won, sum(spend_jpy) as spend
            from marts.mart_kpi_monthly where channel_code <> 'all' group by 1
        )
        select count(*) from marts.mart_kpi_monthly as total join by_channel using (kpi_month)
        where total.channel_code = 'all'
          and (total.new_leads <> by_channel.leads or total.new_customers <> by_channel.customers
               or total.won_deals <> by_channel.won or total.spend_jpy <> by_channel.spend)
    """,
    )[0]
    assert mismatched == 0


def test_score_band_table_covers_every_decided_lead(warehouse):
    bands, decided = _one(
        warehouse,
        """
        select count(*), sum(leads + leads_still_maturing) from marts.mart_score_band_conversion
    """,
    )
    assert bands == 4
    assert (
        decided
        == _one(
            warehouse, "select count(*) from intermediate.int_lead_scores where scoring_moment = 'decision'"
        )[0]
    )
