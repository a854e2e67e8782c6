"""Monthly KPIs from mart_kpi_monthly for the chosen channels: the mart's 'all' rows when no channel is
chosen, otherwise its per-channel rows summed. Rates are the summed numerators over the summed
denominators (the mart's counts re-aggregate; its rates are never averaged)."""

import pandas as pd

from dashboard.filters import Filters
from dashboard.warehouse import query

_COUNTS = [
    "new_leads", "mqls", "mqls_reaching_sql", "sqls", "sqls_won", "won_deals", "new_customers",
    "spend_jpy", "won_amount_jpy", "pipeline_created_amount_jpy",
]  # fmt: skip


def monthly_kpis(filters: Filters) -> pd.DataFrame:
    where, parameters = filters.where(month="kpi_month", channel="channel_code")
    rows = "channel_code <> 'all'" if filters.channels else "channel_code = 'all'"
    sums = ", ".join(f"cast(sum({count}) as bigint) as {count}" for count in _COUNTS)
    kpis = query(
        f"select kpi_month, {sums} from marts.mart_kpi_monthly where {rows} and {where} "
        "group by 1 order by 1",
        parameters,
    )
    kpis["mql_to_sql_rate"] = kpis["mqls_reaching_sql"] / kpis["mqls"].where(kpis["mqls"] > 0)
    kpis["sql_to_won_rate"] = kpis["sqls_won"] / kpis["sqls"].where(kpis["sqls"] > 0)
    kpis["cac_jpy"] = kpis["spend_jpy"] / kpis["new_customers"].where(kpis["new_customers"] > 0)
    kpis["kpi_month"] = pd.to_datetime(kpis["kpi_month"])
    # The as-of date's month is still running: its counts are partial.
    [as_of] = query("select max(scored_as_of) as as_of from marts.fct_lead_scores")["as_of"]
    month_ends = kpis["kpi_month"] + pd.offsets.MonthBegin(1) - pd.Timedelta(days=1)
    kpis["is_complete_month"] = month_ends <= pd.Timestamp(as_of)
    return kpis
