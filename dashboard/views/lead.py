"""リード詳細 Lead: one lead's score today, how it got there (the component lines) and its history.
Open a lead with ?lead_id=... (the sales page lists them)."""

import streamlit as st

from dashboard.charts import lines_over_time
from dashboard.labels import label
from dashboard.warehouse import query

_HISTORY = {"total_score": "合計 Total", "demographic_score": "属性 Demographic",
            "behavior_score": "行動 Behaviour", "bant_score": "BANT"}  # fmt: skip


def _default_lead() -> str:
    """The lead named in the address, else the highest-scored one."""
    top = query("select lead_id from marts.fct_lead_scores order by total_score desc, lead_id limit 1")
    return st.query_params.get("lead_id") or (top["lead_id"].iloc[0] if not top.empty else "")


def render() -> None:
    st.header(label("lead"))
    lead_id = st.text_input("リードID Lead id", value=_default_lead(), key="lead_id").strip()
    score = query(
        "select scores.*, leads.account_name, leads.industry from marts.fct_lead_scores as scores "
        "left join marts.dim_leads as leads on scores.lead_id = leads.lead_id "
        "where scores.lead_id = $lead_id",
        {"lead_id": lead_id},
    )
    if score.empty:
        st.warning(f"リード {lead_id} はありません。No lead {lead_id} in the warehouse.")
        return
    lead = score.iloc[0]
    st.subheader(f"{lead['lead_id']} · {lead['account_name'] or '会社不明 company unknown'}")
    columns = st.columns(4)
    columns[0].metric(label("total_score"), f"{lead['total_score']:.2f}")
    columns[1].metric(label("band"), lead["score_band_label_ja"])
    columns[2].metric("購買段階 Buying stage", lead["buying_stage_label_ja"] or "–")
    columns[3].metric(label("owner"), lead["owner_name"] or "–")
    st.write(f"**推奨アクション Recommended action:** {lead['recommended_action_ja']}")
    st.write(f"**主な理由 Top reasons:** {lead['top_reasons'] or '–'}")

    st.subheader("スコアの内訳 Score lines")
    st.dataframe(
        query(
            'select score_component as "要素 Component", label_ja as "ルール Rule", '
            'description_en as "Rule (en)", '
            'evidence_count as "根拠 Evidence", round(points_after_cap, 2) as "点 Points", '
            'weight as "重み Weight", '
            'total_score_points as "合計への寄与 Points in total" '
            "from marts.fct_lead_score_components where lead_id = $lead_id order by total_score_points desc",
            {"lead_id": lead_id},
        ),
        hide_index=True,
        use_container_width=True,
    )

    st.subheader("スコア履歴 Score history")
    history = query(
        f"select scored_as_of, {', '.join(_HISTORY)} from marts.fct_lead_scores_daily "
        "where lead_id = $lead_id order by scored_as_of",
        {"lead_id": lead_id},
    ).melt("scored_as_of", list(_HISTORY), "component", "score")
    history["component"] = history["component"].map(_HISTORY)
    lines_over_time(history, "scored_as_of:T", "score", "component", "日付 Date", label("score"))
