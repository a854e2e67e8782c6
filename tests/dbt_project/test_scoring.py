"""Scores on generated data: complete explanations, seed edits, point-in-time, history and alerts."""

import csv
import math
import os
import subprocess
from datetime import date

import duckdb
import pytest

from orchestration.project import DBT_EXECUTABLE
from tests.conftest import SAMPLE_AS_OF, as_of_vars, run_dbt
from warehouse_core.settings import WAREHOUSE_PATH_VARIABLE


def _query(database, sql):
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def _scores(database):
    rows = _query(database, "select lead_id, behavior_score, total_score from marts.fct_lead_scores")
    return {lead: (behavior, total) for lead, behavior, total in rows}


def test_every_lead_created_by_the_as_of_date_is_scored(built_warehouse):
    [(scored, eligible)] = _query(
        built_warehouse,
        f"""
        select
            (select count(*) from marts.fct_lead_scores),
            (select count(*) from marts.dim_leads where created_date <= date '{SAMPLE_AS_OF}')
    """,
    )
    assert scored == eligible > 0


def test_score_lines_add_up_to_every_score_exactly(built_warehouse):
    [(mismatches, leads_with_lines)] = _query(
        built_warehouse,
        """
        with sums as (
            select lead_id,
                sum(case when score_component = 'behavior' then component_score_points else 0 end)
                    as behavior,
                sum(total_score_points) as total
            from marts.fct_lead_score_components group by 1
        )
        select
            count(*) filter (
                where scores.behavior_score <> sums.behavior or scores.total_score <> sums.total
            ),
            count(*)
        from marts.fct_lead_scores as scores join sums using (lead_id)
    """,
    )
    assert mismatches == 0 and leads_with_lines > 0


def test_unassessed_leads_have_no_bant_score_rather_than_zero(built_warehouse):
    rows = _query(
        built_warehouse,
        """
        select bant_status, count(*), count(bant_score) from marts.fct_lead_scores group by 1 order by 1
    """,
    )
    by_status = {status: (leads, with_score) for status, leads, with_score in rows}
    assert by_status["not_assessed"][1] == 0
    assert by_status["assessed"][0] == by_status["assessed"][1] > 0


def test_disqualified_leads_score_zero_and_are_never_mql(built_warehouse):
    [(disqualified, nonzero, mql)] = _query(
        built_warehouse,
        """
        select count(*), count(*) filter (where total_score <> 0), count(*) filter (where is_score_qualified)
        from marts.fct_lead_scores where is_disqualified
    """,
    )
    assert disqualified > 0 and nonzero == 0 and mql == 0
    # ... and sit in no buying stage, with nothing to do but leave them alone.
    assert _query(
        built_warehouse,
        "select distinct buying_stage, recommended_action_ja from marts.fct_lead_scores "
        "where is_disqualified",
    ) == [(None, "対応不要")]


def test_hand_raisers_are_comparing_whatever_their_page_views(built_warehouse):
    # A demo, contact or trial form or a price sheet in the last 90 days puts a lead in 比較検討.
    [(hand_raisers, comparing)] = _query(
        built_warehouse,
        """
        with hand_raisers as (
            select distinct lead_id from intermediate.int_lead_behavior_hits_at_moments
            where scoring_moment = 'as_of' and age_days < 90
              and rule_id in ('BEH-FORM-DEMO', 'BEH-FORM-CONTACT', 'BEH-FORM-TRIAL', 'BEH-DL-PRICE')
        )
        select count(*), count(*) filter (where scores.buying_stage = 'comparison')
        from hand_raisers inner join marts.fct_lead_scores as scores using (lead_id)
        where not scores.is_disqualified
    """,
    )
    assert hand_raisers > 0 and comparing == hand_raisers
    # The trends mart counts the stage signals as the stage rules define them.
    signals = _query(
        built_warehouse,
        "select distinct value from marts.mart_behavior_trends_monthly "
        "where dimension = 'buying_stage_signal'",
    )
    assert {value for (value,) in signals} == {"comparison", "information_gathering"}


def _set_rule_points(project, rule_id, points):
    path = project / "seeds" / "scoring" / "behavior_rules.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["rule_id"] == rule_id:
            row["points"] = str(points)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _pricing_lines(database):
    rows = _query(
        database,
        """
        select lead_id, points_before_decay, points_after_decay, points_after_cap, component_score_exact
        from intermediate.int_lead_score_components
        where rule_id = 'BEH-WEB-PRICING' and scoring_moment = 'as_of'
    """,
    )
    return {row[0]: row[1:] for row in rows}


def _exact_behavior_scores(database):
    rows = _query(
        database,
        """
        select lead_id, sum(component_score_exact) from intermediate.int_lead_score_components
        where score_component = 'behavior' and scoring_moment = 'as_of' group by 1
    """,
    )
    return dict(rows)


def _clamped_leads(database):
    rows = _query(
        database, "select lead_id from marts.fct_lead_score_components where category = 'adjustment'"
    )
    return {row[0] for row in rows}


def test_changing_one_seed_row_moves_exactly_the_affected_scores(scratch_warehouse, scratch_project):
    before, pricing_before, clamped_before, exact_before = (
        _scores(scratch_warehouse),
        _pricing_lines(scratch_warehouse),
        _clamped_leads(scratch_warehouse),
        _exact_behavior_scores(scratch_warehouse),
    )
    _set_rule_points(scratch_project, "BEH-WEB-PRICING", 20)  # default 10
    run_dbt(
        scratch_warehouse,
        "build",
        "--select",
        "behavior_rules+",
        "--vars",
        as_of_vars(SAMPLE_AS_OF),
        project_dir=scratch_project,
    )
    after, pricing_after = _scores(scratch_warehouse), _pricing_lines(scratch_warehouse)
    exact_after = _exact_behavior_scores(scratch_warehouse)
    clamped = clamped_before | _clamped_leads(scratch_warehouse)

    assert pricing_before and set(pricing_after) == set(pricing_before)
    changed = {lead for lead in before if before[lead] != after[lead]}
    assert changed and changed <= set(pricing_before), "only leads with pricing views move"
    checked = 0
    for lead, (raw, decayed, capped, points) in pricing_before.items():
        new_raw, new_decayed, new_capped, new_points = pricing_after[lead]
        assert new_raw == 2 * raw
        assert math.isclose(new_decayed, 2 * decayed, rel_tol=1e-12)
        if lead in clamped or capped != decayed or new_capped != new_decayed:
            continue  # a cap or the 0-100 range absorbs part of the change
        # Uncapped: the exact behaviour score rises by exactly the pricing line's change (points / 100 x
        # 100), and the score shown is that exact score rounded once to the cent.
        assert abs(float(new_points) - new_decayed) <= 1e-9
        assert exact_after[lead] - exact_before[lead] == new_points - points
        assert after[lead][0] == round(exact_after[lead], 2)
        checked += 1
    assert checked > 0


def _add_pricing_and_demo_request(database, lead_id, when):
    with duckdb.connect(str(database)) as connection:
        for number, (activity_type, url) in enumerate(
            [
                ("Visit Web Page", "https://www.example-vendor.co.jp/pricing"),
                ("Fill Out Form", "https://www.example-vendor.co.jp/demo-request"),
            ]
        ):
            connection.execute(
                "insert into raw.ma_activities "
                "(activity_id, lead_id, activity_type, activity_date, web_page_url) "
                "values ($id, $lead, $type, $at, $url)",
                {"id": f"LATE-{number}", "lead": lead_id, "type": activity_type, "at": when, "url": url},
            )


# These tests rebuild the scores alone at other dates: the test that the lead marts agree at one
# as-of date would compare them with dim_leads and the funnel left at the sample's date.
SCORES_ONLY = ("--exclude", "assert_lead_marts_reconcile")


def test_scores_as_of_a_past_date_ignore_later_events(scratch_warehouse):
    past = date(2026, 5, 31)
    run_dbt(
        scratch_warehouse, "build", "--select", "+fct_lead_scores", *SCORES_ONLY, "--vars", as_of_vars(past)
    )
    scores_then = _scores(scratch_warehouse)
    [(lead,)] = _query(
        scratch_warehouse,
        """
        select lead_id from marts.fct_lead_scores
        where not is_disqualified and total_score < 50 order by lead_id limit 1
    """,
    )
    _add_pricing_and_demo_request(scratch_warehouse, lead, "2026-06-15 10:00:00")

    run_dbt(
        scratch_warehouse, "build", "--select", "+fct_lead_scores", *SCORES_ONLY, "--vars", as_of_vars(past)
    )
    assert _scores(scratch_warehouse) == scores_then

    run_dbt(
        scratch_warehouse,
        "build",
        "--select",
        "+fct_lead_scores",
        *SCORES_ONLY,
        "--vars",
        as_of_vars(SAMPLE_AS_OF),
    )
    assert _scores(scratch_warehouse)[lead][0] > scores_then[lead][0]


def test_daily_history_keeps_one_row_per_lead_and_day_and_alerts_compare_with_it(scratch_warehouse):
    first, second = date(2026, 5, 1), date(2026, 5, 31)
    for as_of in (first, second, second):  # the second day twice: a re-run replaces, never duplicates
        run_dbt(
            scratch_warehouse,
            "build",
            "--select",
            "+mart_handoff_alerts",
            *SCORES_ONLY,
            "--vars",
            as_of_vars(as_of),
        )
    history = dict(
        _query(
            scratch_warehouse,
            f"""
        select scored_as_of, count(*) from marts.fct_lead_scores_daily
        where scored_as_of in (date '{first}', date '{second}') group by 1
    """,
        )
    )
    expected = dict(
        _query(
            scratch_warehouse,
            f"""
        select date '{first}', count(*) filter (where created_date <= date '{first}') from marts.dim_leads
        union all
        select date '{second}', count(*) filter (where created_date <= date '{second}') from marts.dim_leads
    """,
        )
    )
    assert history == expected

    [(wrong_alerts, missed_mqls, alerts)] = _query(
        scratch_warehouse,
        f"""
        with now as (select * from marts.fct_lead_scores_daily where scored_as_of = date '{second}'),
        before as (select * from marts.fct_lead_scores_daily where scored_as_of = date '{first}'),
        alerts as (select * from marts.mart_handoff_alerts)
        select
            (select count(*) from alerts left join before using (lead_id)
             where not (alerts.has_crossed_score_threshold or alerts.score_change >= 15)
                or alerts.previous_scored_as_of is distinct from before.scored_as_of),
            (select count(*) from now left join before using (lead_id)
             where now.is_score_qualified and not coalesce(before.is_score_qualified, false)
               and now.lead_id not in (select lead_id from alerts)),
            (select count(*) from alerts)
    """,
    )
    assert wrong_alerts == 0 and missed_mqls == 0 and alerts > 0


@pytest.mark.parametrize("band_type", ["total", "fit_grade", "engagement_level"])
def test_every_score_falls_in_exactly_one_band(built_warehouse, band_type):
    column = {"total": "total_score", "fit_grade": "demographic_score", "engagement_level": "behavior_score"}[
        band_type
    ]
    [(unbanded,)] = _query(
        built_warehouse,
        f"""
        select count(*) from marts.fct_lead_scores as s
        where (select count(*) from seeds.score_bands as b where b.band_type = '{band_type}'
               and s.{column} >= b.min_score and (b.max_score is null or s.{column} < b.max_score)) <> 1
    """,
    )
    assert unbanded == 0


def test_no_rule_in_force_on_the_as_of_date_stops_the_build_naming_the_seed(
    scratch_warehouse, scratch_project
):
    seed = scratch_project / "seeds" / "scoring" / "demographic_rules.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        rows = [{**row, "valid_from": "2026-01-01"} for row in csv.DictReader(handle)]
    with seed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    environment = {**os.environ, WAREHOUSE_PATH_VARIABLE: str(scratch_warehouse)}
    built = subprocess.run(
        [DBT_EXECUTABLE, "build", "--select", "demographic_rules", "int_lead_scoring_moments"]
        + ["--exclude-resource-type", "unit_test", "--vars", '{"scoring_as_of": "2025-12-31"}']
        + ["--project-dir", str(scratch_project), "--profiles-dir", str(scratch_project)],
        cwd=scratch_project,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 1
    assert (
        "No row of seed demographic_rules is in force on the as-of date 2025-12-31 (var scoring_as_of): "
        "its earliest valid_from is 2026-01-01" in built.stdout
    )


def test_missing_values_score_nothing_and_an_unmapped_source_is_one_label(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as connection:
        lead, account = connection.sql(
            "select lead_id, account_id from staging.stg_crm__leads where account_id is not null "
            "order by lead_id limit 1"
        ).fetchall()[0]
        connection.execute(
            "update staging.stg_crm__leads set email = null, email_domain = null, lead_source = '謎の流入元' "
            "where lead_id = ?",
            [lead],
        )
        for accounts in ("stg_crm__accounts", "stg_crm__account_versions"):
            connection.execute(
                f"update staging.{accounts} set industry = null where account_id = ?", [account]
            )
    built = run_dbt(
        scratch_warehouse,
        "build",
        "--select",
        "int_accounts_as_of+",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        as_of_vars(SAMPLE_AS_OF),
    )
    with duckdb.connect(str(scratch_warehouse), read_only=True) as connection:
        attributes = dict(
            connection.sql(
                "select attribute, value_text from intermediate.int_lead_attributes where lead_id = ? "
                "and scoring_moment = 'as_of' and attribute in ('industry_group', 'email_type')",
                params=[lead],
            ).fetchall()
        )
        rules = {
            row[0]
            for row in connection.sql(
                "select rule_id from marts.fct_lead_score_components where lead_id = ?", params=[lead]
            ).fetchall()
        }
        [(unknown,)] = connection.sql(
            "select unknown_attributes_ja from marts.fct_lead_scores where lead_id = ?", params=[lead]
        ).fetchall()
        channels = {
            mart: connection.sql(
                f"select count(*) from marts.{mart} where channel_code = 'unmapped'"
            ).fetchall()[0][0]
            for mart in ("fct_lead_funnel", "mart_funnel_conversion", "mart_kpi_monthly", "fct_lead_scores")
        }
    assert attributes == {}  # unknown: no attribute row, where 'other' and 'business' used to be
    assert not {rule for rule in rules if rule.startswith(("DEM-IND-", "PER-EML-"))}, rules
    # ... and the explanation says what the score could not judge.
    assert unknown.startswith("不明: ") and {"業種", "メールアドレス"} <= set(unknown[4:].split("、")), (
        unknown
    )
    # The unmapped lead source is one label in every mart, and the build warns with the source.
    assert all(channels.values()), channels
    assert "WARN 1 lead_sources_are_mapped_int_leads_joined_to_accounts_channel_code" in built.stdout
