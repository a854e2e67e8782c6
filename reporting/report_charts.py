"""Charts of the weekly report, drawn with matplotlib from the marts and returned as PNG bytes.

Labels are Japanese first, English beside, in the IPAex Gothic font that japanize-matplotlib ships
(importing it registers the font), so the charts need no font installed on the machine."""

import io

import duckdb
import japanize_matplotlib  # noqa: F401  (registers IPAex Gothic as matplotlib's font)
import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt  # noqa: E402

_BLUE, _ORANGE, _GREEN, _GREY = "#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f"


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def kpi_trend(connection: duckdb.DuckDBPyConnection) -> bytes:
    rows = connection.sql(
        "select kpi_month, new_leads, mqls, sqls, new_customers, cac_jpy from marts.mart_kpi_monthly "
        "where channel_code = 'all' order by kpi_month"
    ).fetchall()
    months = [row[0] for row in rows]
    figure, (volume, cac) = plt.subplots(1, 2, figsize=(11, 3.6))
    for index, (label, color) in enumerate(
        [
            ("新規リード New leads", _GREY),
            ("MQL引き渡し MQLs", _BLUE),
            ("SQL", _ORANGE),
            ("新規顧客 New customers", _GREEN),
        ],
        start=1,
    ):
        volume.plot(months, [row[index] for row in rows], marker="o", markersize=3, label=label, color=color)
    volume.set_title("月次ファネル件数 Monthly funnel volume")
    volume.legend(fontsize=8)
    cac.bar(months, [row[5] or 0 for row in rows], width=20, color=_BLUE)
    cac.set_title("顧客獲得単価 CAC (JPY per new customer)")
    for axis in (volume, cac):
        axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)


def funnel(connection: duckdb.DuckDBPyConnection) -> bytes:
    # The funnel mart's counts, summed over its cohorts, channels, bands and owners (they re-aggregate).
    counts = connection.sql(
        "select sum(leads), sum(mqls), sum(sals), sum(sqls), sum(opportunities), sum(won) "
        "from marts.mart_funnel_conversion"
    ).fetchall()[0]
    stages = ["リード Leads", "MQL", "SAL", "SQL", "商談 Opportunity", "受注 Won"]
    figure, axis = plt.subplots(figsize=(11, 3.2))
    bars = axis.barh(stages[::-1], counts[::-1], color=[_GREEN, _ORANGE, _ORANGE, _BLUE, _BLUE, _GREY])
    axis.bar_label(bars, labels=[f"{count:,}" for count in counts[::-1]], padding=3, fontsize=8)
    axis.set_title("ファネル：各段階に達したリード Funnel: leads reaching each stage (all cohorts)")
    return _png(figure)


def score_band_conversion(connection: duckdb.DuckDBPyConnection) -> bytes:
    rows = connection.sql(
        "select score_band, leads, won, coalesce(conversion_rate, 0) from marts.mart_score_band_conversion "
        "order by sort_order desc"
    ).fetchall()
    figure, axis = plt.subplots(figsize=(11, 3.2))
    bars = axis.bar([row[0] for row in rows], [100 * row[3] for row in rows], color=_BLUE)
    axis.bar_label(bars, labels=[f"{100 * r[3]:.1f}% ({r[2]}/{r[1]})" for r in rows], padding=3, fontsize=8)
    axis.set_ylim(0, max([100 * row[3] for row in rows] + [1]) * 1.2)
    axis.set_ylabel("受注率 won / leads (%)")
    axis.set_title(
        "判定時点のスコア帯別受注率 Conversion by score band at the decision moment (mature leads)"
    )
    return _png(figure)


def sla_compliance(connection: duckdb.DuckDBPyConnection) -> bytes:
    rows = connection.sql(
        "select handoff_month, handoffs, mql_volume_target, handoffs_at_or_over_score_target, "
        "share_within_sla, response_rate from marts.mart_sla_compliance_monthly "
        "where breakdown = 'total' order by handoff_month"
    ).fetchall()
    months = [row[0] for row in rows]
    figure, (marketing, sales) = plt.subplots(1, 2, figsize=(11, 3.6))
    marketing.bar(
        months, [row[1] for row in rows], width=20, color=_BLUE, label="MQL引き渡し MQLs handed off"
    )
    marketing.bar(
        months, [row[3] for row in rows], width=20, color=_GREEN, label="スコア基準以上 at/over score target"
    )
    marketing.plot(
        months, [row[2] for row in rows], color=_ORANGE, linestyle="--", label="月間目標 monthly target"
    )
    marketing.set_title("マーケティングSLA：MQLの量と質 Marketing SLA: MQL volume and quality")
    marketing.legend(fontsize=8)
    sales.plot(
        months, [100 * (row[4] or 0) for row in rows], marker="o", markersize=3, label="期限内 within SLA"
    )
    sales.plot(
        months, [100 * (row[5] or 0) for row in rows], marker="o", markersize=3, label="接触済み contacted"
    )
    sales.set_ylim(0, 105)
    sales.set_ylabel("引き渡しリードに占める割合 % of handoffs")
    sales.set_title("営業SLA：初回接触 Sales SLA: first contact")
    sales.legend(fontsize=8)
    for axis in (marketing, sales):
        axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)


def response_by_rep(connection: duckdb.DuckDBPyConnection) -> bytes:
    # Reps by name; leads nobody owns are a bar of their own: a team without owners in its CRM sees one
    # bar. Pending handoffs (not yet due) are neither met nor missed.
    rows = connection.sql(
        "select coalesce(reps.user_name, sla.owner_user_id, '担当なし no owner'), "
        "sum(sla.sla_met) * 1.0 / sum(sla.sla_met + sla.sla_missed), sum(sla.sla_met + sla.sla_missed) "
        "from marts.mart_sla_compliance_monthly as sla "
        "left join marts.dim_sales_reps as reps on sla.owner_user_id = reps.user_id "
        "where sla.breakdown = 'by_owner' and sla.handoff_month >= "
        "(select max(handoff_month) from marts.mart_sla_compliance_monthly) - interval 2 month "
        "group by 1 having sum(sla.sla_met + sla.sla_missed) > 0 order by 2"
    ).fetchall()
    figure, axis = plt.subplots(figsize=(11, 3.4))
    bars = axis.bar([row[0] for row in rows], [100 * row[1] for row in rows], color=_BLUE)
    axis.bar_label(bars, labels=[str(row[2]) for row in rows], padding=2, fontsize=7)
    axis.set_ylabel("期限内接触率 % within SLA")
    axis.set_title(
        "担当者別SLA遵守率（直近3か月）Share within SLA by rep, last 3 months (label: handoffs decided)"
    )
    axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)
