"""マーケティング Marketing: MQL volume against its target, handoff quality against the score target,
conversion by score band, behaviour trends, A/B tests and backtests."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.charts import lines_over_time
from dashboard.kpis import monthly_kpis
from dashboard.labels import label
from dashboard.views import current_filters
from dashboard.warehouse import has_table, query, show_table


def _handoff_quality(filters) -> pd.DataFrame:
    """Per handoff month: the share of handoffs at or over the score target (chosen reps summed)."""
    where, parameters = filters.where(month="handoff_month", owner="owner_user_id")
    breakdown = "by_owner" if filters.owners else "total"
    return query(
        "select handoff_month, sum(handoffs) as handoffs, "
        "sum(handoffs_at_or_over_score_target) as at_or_over, max(mql_volume_target) as mql_volume_target, "
        "max(mql_score_target) as mql_score_target "
        f"from marts.mart_sla_compliance_monthly where breakdown = '{breakdown}' and {where} "
        "group by 1 order by 1",
        parameters,
    ).assign(share=lambda frame: frame["at_or_over"] / frame["handoffs"])


def render() -> None:
    filters = current_filters()
    st.header(label("marketing"))
    kpis = monthly_kpis(filters)
    quality = _handoff_quality(filters)
    target = quality["mql_volume_target"].max() if not quality.empty else None
    score_target = quality["mql_score_target"].max() if not quality.empty else None

    left, right = st.columns(2)
    left.subheader(f"MQL数と目標（月{target:,.0f}件）MQLs against the target" if target else "MQL数 MQLs")
    bars = (
        alt.Chart(kpis)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(kpi_month):O", title=label("month")), y=alt.Y("mqls:Q", title=label("mqls"))
        )
    )
    if target:
        bars += alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="red").encode(y="target:Q")
    left.altair_chart(bars, use_container_width=True)
    right.subheader(
        f"引き渡し品質（スコア{score_target:.0f}以上）Handoff quality (score ≥ {score_target:.0f})"
        if score_target
        else label("share_at_or_over_score_target")
    )
    right.altair_chart(
        alt.Chart(quality)
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(handoff_month):O", title=label("month")),
            y=alt.Y("share:Q", title=label("share_at_or_over_score_target"), axis=alt.Axis(format="%")),
        ),
        use_container_width=True,
    )

    st.subheader("スコア帯別の受注率 Conversion by score band")
    show_table(
        query(
            'select score_band_label_ja as "スコア帯 Band", leads as "リード Leads", won as "受注 Won", '
            'round(100 * conversion_rate, 1) as "受注率% Conversion %", '
            'leads_still_maturing as "判定から間もない Maturing", '
            'recommended_action_ja as "推奨アクション Action" '
            "from marts.mart_score_band_conversion order by sort_order"
        ),
        "スコア帯 Band",
    )

    st.subheader("行動の推移 Behaviour trends")
    dimensions = query("select distinct dimension from marts.mart_behavior_trends_monthly order by 1")[
        "dimension"
    ]
    if not dimensions.empty:
        dimension = st.selectbox("観点 Dimension", list(dimensions), key="trend_dimension")
        where, parameters = filters.where(month="activity_month")
        trends = query(
            "select activity_month, value, events from marts.mart_behavior_trends_monthly "
            f"where dimension = $dimension and {where} order by 1",
            {**parameters, "dimension": dimension},
        )
        lines_over_time(
            trends, "yearmonth(activity_month):O", "events", "value", label("month"), label("events")
        )

    st.subheader("A/Bテスト A/B tests")
    if has_table("marts", "mart_ab_test_results"):
        show_table(
            query(
                'select test_id as "テスト Test", control_variant as "対照 Control", '
                'treatment_variant as "試験 Treatment", control_mqls as "対照MQL Control MQLs", '
                'treatment_mqls as "試験MQL Treatment MQLs", '
                'round(difference_mql_to_won, 4) as "差 Difference", '
                'round(p_value, 4) as "p値 p", verdict_ja as "判定 Verdict" '
                "from marts.mart_ab_test_results order by test_id"
            ),
            "テスト Test",
            precision=3,
        )
    else:
        st.info(
            "A/Bテストはまだ評価されていません。No A/B test evaluated yet (the refresh job evaluates them)."
        )
    st.subheader("バックテスト Backtests")
    if has_table("marts", "mart_backtest_summary"):
        show_table(
            query(
                'select score_name as "スコア Score", leads as "リード Leads", won as "受注 Won", '
                'round(test_auc, 3) as "AUC（検証）Test AUC", '
                'round(precision_at_mql, 3) as "適合率 Precision", '
                'round(recall_at_mql, 3) as "再現率 Recall", '
                'round(test_top_decile_lift, 2) as "上位10%リフト Lift" '
                "from marts.mart_backtest_summary order by score_name"
            ),
            "スコア Score",
            precision=3,
        )
    else:
        st.info("バックテストはまだありません。No backtest yet (the refresh job runs it).")
