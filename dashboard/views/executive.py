"""経営 Executive: the month's KPIs against the month before, their trend, the funnel and CAC."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.charts import lines_over_time
from dashboard.kpis import monthly_kpis
from dashboard.labels import label
from dashboard.views import current_filters
from dashboard.warehouse import query

_HEADLINE = ["new_leads", "mqls", "sqls", "won_deals", "mql_to_sql_rate", "cac_jpy"]
_HEADLINE_LABELS = {"new_leads": "leads", "won_deals": "won"}
_FUNNEL = ["leads", "mqls", "sals", "sqls", "opportunities", "won"]
_FUNNEL_LABELS = {"leads": "リード Leads", "mqls": "MQL", "sals": "SAL", "sqls": "SQL",
                  "opportunities": "商談 Opportunities", "won": "受注 Won"}  # fmt: skip


def _formatted(kpi: str, value: float) -> str:
    if pd.isna(value):
        return "–"
    if kpi.endswith("_rate"):
        return f"{value:.1%}"
    if kpi.endswith("_jpy"):
        return f"¥{value:,.0f}"
    return f"{value:,.0f}"


def render() -> None:
    filters = current_filters()
    kpis = monthly_kpis(filters)
    st.header(label("executive"))
    kpis = kpis[kpis["is_complete_month"]]
    if kpis.empty:
        st.info("この期間に締まった月はありません。No complete month in this period.")
        return
    latest = kpis.iloc[-1]
    previous = kpis.iloc[-2] if len(kpis) > 1 else None
    st.caption(
        f"{latest['kpi_month']:%Y-%m} の実績（前月比、基準日の月は締まるまで除く）"
        f"Figures of {latest['kpi_month']:%Y-%m} against the month before (the as-of month once complete)"
    )
    for column, kpi in zip(st.columns(len(_HEADLINE)), _HEADLINE, strict=True):
        delta = None
        if previous is not None and not pd.isna(latest[kpi]) and not pd.isna(previous[kpi]):
            delta = _formatted(kpi, latest[kpi] - previous[kpi])
        column.metric(label(_HEADLINE_LABELS.get(kpi, kpi)), _formatted(kpi, latest[kpi]), delta)

    st.subheader("KPI推移 KPI trend")
    trend = kpis.melt("kpi_month", ["new_leads", "mqls", "sqls", "won_deals"], "kpi", "count")
    trend["kpi"] = trend["kpi"].map(lambda kpi: label(_HEADLINE_LABELS.get(kpi, kpi)))
    lines_over_time(trend, "yearmonth(kpi_month):T", "count", "kpi", label("month"), label("count"))

    left, right = st.columns(2)
    where, parameters = filters.where(
        month="cohort_month", channel="channel_code", owner="owner_user_id", band="score_band_at_first_mql"
    )
    funnel = query(
        f"select {', '.join(f'cast(sum({stage}) as bigint) as {stage}' for stage in _FUNNEL)} "
        f"from marts.mart_funnel_conversion where {where}",
        parameters,
    ).melt(var_name="stage", value_name="count")
    funnel["order"] = range(len(funnel))
    funnel["stage"] = funnel["stage"].map(_FUNNEL_LABELS)
    left.subheader("ファネル（作成月のコホート）Funnel (cohorts created in the period)")
    left.altair_chart(
        alt.Chart(funnel)
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=alt.SortField("order"), title=label("stage")),
            x=alt.X("count:Q", title=label("count")),
            tooltip=["stage", "count"],
        ),
        use_container_width=True,
    )
    right.subheader(label("cac_jpy"))
    right.altair_chart(
        alt.Chart(kpis)
        .mark_bar()
        .encode(x=alt.X("yearmonth(kpi_month):O", title=label("month")), y=alt.Y("cac_jpy:Q", title="¥")),
        use_container_width=True,
    )
