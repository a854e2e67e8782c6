"""Japanese first, English beside: every label the pages show, in one place."""

LABELS = {
    "title": "リードクオリフィケーション ダッシュボード Lead-qualification dashboard",
    "executive": "経営 Executive",
    "marketing": "マーケティング Marketing",
    "sales": "営業 Sales",
    "lead": "リード詳細 Lead",
    "filters": "絞り込み Filters",
    "period": "期間 Period",
    "channel": "チャネル Channel",
    "owner": "担当者 Owner",
    "band": "スコア帯 Score band",
    "all": "すべて All",
    "month": "月 Month",
    "leads": "新規リード Leads",
    "mqls": "MQL（引き渡し） Handoffs",
    "sqls": "SQL SQLs",
    "won": "受注 Won",
    "new_customers": "新規顧客 New customers",
    "mql_to_sql_rate": "MQL→SQL転換率 MQL→SQL",
    "sql_to_won_rate": "SQL→受注率 SQL→won",
    "cac_jpy": "顧客獲得単価 CAC (¥)",
    "spend_jpy": "マーケティング費用 Spend (¥)",
    "won_amount_jpy": "受注金額 Won (¥)",
    "pipeline_created_amount_jpy": "創出パイプライン Pipeline (¥)",
    "stage": "ステージ Stage",
    "count": "件数 Count",
    "target": "目標 Target",
    "share_at_or_over_score_target": "スコア基準以上の割合 Share at/over the score target",
    "conversion_rate": "受注率 Conversion",
    "events": "イベント数 Events",
    "score": "スコア Score",
    "total_score": "合計スコア Total score",
    "sla_share": "SLA遵守率 Within SLA",
    "waiting_hours": "経過時間 Hours waiting",
}

# How a handoff's alert reached sales (fct_sla_lead_response.alert_delivery_status).
ALERT_STATUS_LABELS = {
    "sent": "送信済み Sent",
    "queued": "送信待ち Queued",
    "failed": "送信失敗・再試行 Failed, retrying",
    "given_up": "送信断念 Given up",
    "not_alerted": "通知なし Not alerted",
}


def label(key: str) -> str:
    return LABELS[key]
