"""営業 Sales: the hot leads to call with their owner, reasons and recommended action; handoffs past
their first-contact target; the SLA by rep."""

import streamlit as st

from dashboard.labels import ALERT_STATUS_LABELS, label
from dashboard.views import current_filters
from dashboard.warehouse import query, show_table

# How many hot leads the table lists (the highest scores first).
HOT_LEADS_SHOWN = 50


def render() -> None:
    filters = current_filters()
    st.header(label("sales"))
    where, parameters = filters.where(
        channel="scores.channel_code", owner="scores.owner_user_id", band="scores.score_band"
    )
    hot = query(
        'select scores.lead_id as "リードID Lead", leads.account_name as "会社 Company", '
        'scores.owner_name as "担当 Owner", scores.total_score as "スコア Score", '
        'scores.score_band_label_ja as "スコア帯 Band", scores.buying_stage_label_ja as "購買段階 Stage", '
        'scores.recommended_action_ja as "推奨アクション Action", scores.top_reasons as "主な理由 Reasons" '
        "from marts.fct_lead_scores as scores "
        "left join marts.dim_leads as leads on scores.lead_id = leads.lead_id "
        f"where scores.is_score_qualified and not scores.is_disqualified and {where} "
        "order by scores.total_score desc, scores.lead_id",
        parameters,
    )
    st.metric("ホットリード Hot leads", f"{len(hot):,}")
    st.subheader("今すぐ連絡すべきリード Hot leads to contact")
    st.dataframe(hot.head(HOT_LEADS_SHOWN), hide_index=True, use_container_width=True)

    where, parameters = filters.where(owner="owner_user_id")
    overdue = query(
        'select lead_id as "リードID Lead", owner_name as "担当 Owner", '
        'handed_at as "引き渡し Handed off (UTC)", '
        'round(waiting_hours, 1) as "経過時間 Hours waiting", score_at_handoff as "スコア Score", '
        'alert_delivery_status as "通知 Alert" '
        f"from marts.fct_sla_lead_response where is_overdue and {where} order by waiting_hours desc",
        parameters,
    )
    overdue["通知 Alert"] = overdue["通知 Alert"].map(ALERT_STATUS_LABELS)
    st.subheader(f"対応期限切れの引き渡し Overdue handoffs: {len(overdue):,}")
    st.dataframe(overdue, hide_index=True, use_container_width=True)

    where, parameters = filters.where(month="sla.handoff_month", owner="sla.owner_user_id")
    by_rep = query(
        'select coalesce(reps.user_name, sla.owner_user_id) as "担当 Owner", '
        'cast(sum(sla.handoffs) as bigint) as "引き渡し Handoffs", '
        'cast(sum(sla.sla_met) as bigint) as "期限内 Met", '
        'cast(sum(sla.sla_missed) as bigint) as "期限超過 Missed", '
        "round(100 * sum(sla.sla_met) / nullif(sum(sla.sla_met) + sum(sla.sla_missed), 0), 1) "
        'as "SLA遵守率% Within SLA %", '
        'cast(sum(sla.overdue) as bigint) as "未対応 Overdue", '
        'cast(sum(sla.handoffs_alert_undelivered) as bigint) as "通知未達 Alerts undelivered" '
        "from marts.mart_sla_compliance_monthly as sla left join marts.dim_sales_reps as reps "
        "on sla.owner_user_id = reps.user_id "
        f"where sla.breakdown = 'by_owner' and {where} group by 1 order by 2 desc",
        parameters,
    )
    st.subheader("担当者別SLA SLA by rep")
    show_table(by_rep, "担当 Owner")
