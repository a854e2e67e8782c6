"""Charts of the weekly report, drawn with matplotlib from the marts and returned as PNG bytes."""

import io

import duckdb
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
        [("New leads", _GREY), ("MQLs handed off", _BLUE), ("SQLs", _ORANGE), ("New customers", _GREEN)],
        start=1,
    ):
        volume.plot(months, [row[index] for row in rows], marker="o", markersize=3, label=label, color=color)
    volume.set_title("Monthly funnel volume")
    volume.legend(fontsize=8)
    cac.bar(months, [row[5] or 0 for row in rows], width=20, color=_BLUE)
    cac.set_title("CAC (JPY per new customer)")
    for axis in (volume, cac):
        axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)


def funnel(connection: duckdb.DuckDBPyConnection) -> bytes:
    counts = connection.sql(
        "select count(*), count(*) filter (where has_reached_mql), count(*) filter (where has_reached_sal), "
        "count(*) filter (where has_reached_sql), count(*) filter (where has_reached_opportunity), "
        "count(*) filter (where is_won) from marts.fct_lead_funnel"
    ).fetchall()[0]
    stages = ["Leads", "MQL", "SAL", "SQL", "Opportunity", "Won"]
    figure, axis = plt.subplots(figsize=(11, 3.2))
    bars = axis.barh(stages[::-1], counts[::-1], color=[_GREEN, _ORANGE, _ORANGE, _BLUE, _BLUE, _GREY])
    axis.bar_label(bars, labels=[f"{count:,}" for count in counts[::-1]], padding=3, fontsize=8)
    axis.set_title("Funnel: leads reaching each stage (all cohorts)")
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
    axis.set_ylabel("won / leads (%)")
    axis.set_title("Conversion by score band at the decision moment (mature leads)")
    return _png(figure)


def sla_compliance(connection: duckdb.DuckDBPyConnection) -> bytes:
    rows = connection.sql(
        "select handoff_month, handoffs, mql_volume_target, handoffs_at_or_over_score_target, "
        "share_within_sla, response_rate from marts.mart_sla_compliance_monthly "
        "where breakdown = 'total' order by handoff_month"
    ).fetchall()
    months = [row[0] for row in rows]
    figure, (marketing, sales) = plt.subplots(1, 2, figsize=(11, 3.6))
    marketing.bar(months, [row[1] for row in rows], width=20, color=_BLUE, label="MQLs handed off (CRM)")
    marketing.bar(months, [row[3] for row in rows], width=20, color=_GREEN, label="at or over score target")
    marketing.plot(months, [row[2] for row in rows], color=_ORANGE, linestyle="--", label="monthly target")
    marketing.set_title("Marketing SLA: MQL volume and quality")
    marketing.legend(fontsize=8)
    sales.plot(
        months, [100 * (row[4] or 0) for row in rows], marker="o", markersize=3, label="within SLA (decided)"
    )
    sales.plot(months, [100 * (row[5] or 0) for row in rows], marker="o", markersize=3, label="contacted")
    sales.set_ylim(0, 105)
    sales.set_ylabel("% of handed-off leads")
    sales.set_title("Sales SLA: first contact")
    sales.legend(fontsize=8)
    for axis in (marketing, sales):
        axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)


def response_by_rep(connection: duckdb.DuckDBPyConnection) -> bytes:
    # Leads nobody owns are a bar of their own: a team without owners in its CRM sees one bar. Pending
    # handoffs (not yet due) are neither met nor missed.
    rows = connection.sql(
        "select coalesce(owner_user_id, '(no owner)'), "
        "sum(sla_met) * 1.0 / sum(sla_met + sla_missed), sum(sla_met + sla_missed) "
        "from marts.mart_sla_compliance_monthly where breakdown = 'by_owner' "
        "and handoff_month >= "
        "(select max(handoff_month) from marts.mart_sla_compliance_monthly) - interval 2 month "
        "group by 1 having sum(sla_met + sla_missed) > 0 order by 2"
    ).fetchall()
    figure, axis = plt.subplots(figsize=(11, 3.4))
    bars = axis.bar([row[0] for row in rows], [100 * row[1] for row in rows], color=_BLUE)
    axis.bar_label(bars, labels=[str(row[2]) for row in rows], padding=2, fontsize=7)
    axis.set_ylabel("% contacted within SLA")
    axis.set_title("Share within SLA by rep, last 3 months (label: handoffs decided)")
    axis.tick_params(axis="x", labelrotation=45, labelsize=8)
    return _png(figure)
