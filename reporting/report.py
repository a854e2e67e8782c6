"""Weekly HTML report for the marketing-sales meeting: ``python -m reporting.report``.

Sections for executives (KPI trend, funnel), marketing (MQL volume and quality against the SLA,
conversion by score band) and sales (first-contact SLA, by rep, overdue leads). Charts are inline
PNGs, so the single HTML file can be mailed or opened offline.
"""

import argparse
import base64
import html
from datetime import datetime
from pathlib import Path

import duckdb

from lead_evaluation.comparison import SCORECARD_TOP_RULES, SCORES_SIDE_BY_SIDE
from lead_evaluation.warehouse import table_exists
from reporting import report_charts
from warehouse_core import settings

REPORT_NAME = "weekly_report.html"
_STYLE = """
body { font-family: 'Hiragino Sans', 'Noto Sans JP', Meiryo, sans-serif; margin: 2em auto; max-width: 66em; }
h1 { border-bottom: 3px solid #1f77b4; }
h2 { margin-top: 2em; border-left: 6px solid #1f77b4; padding-left: .4em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 90%; }
td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: right; } th { background: #f0f4f8; }
td.text { text-align: left; } img { max-width: 100%; } .note { color: #666; font-size: 85%; }
"""


def _image(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _table(connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> str:
    result = connection.execute(sql, parameters or [])
    header = "".join(f"<th>{html.escape(column[0])}</th>" for column in result.description)
    body = []
    for row in result.fetchall():
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append(f"<td>{value:,.2f}</td>")
            elif isinstance(value, int):
                cells.append(f"<td>{value:,}</td>")
            else:
                cells.append(f'<td class="text">{html.escape("" if value is None else str(value))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{header}</tr>{''.join(body)}</table>"


def _score_comparison(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Current rules, fitted scorecard, model and blend on the most recently decided leads, once the
    backtest has run, and the scorecard's strongest rules."""
    sections = []
    if table_exists(connection, "marts", "mart_backtest_summary"):
        sections += [
            "<p>Scores side by side on the most recently decided leads (AUC, calibration error, lift of "
            "the top tenth) / 直近に判定したリードでのスコア比較:</p>",
            _table(connection, SCORES_SIDE_BY_SIDE),
        ]
    if table_exists(connection, "marts", "mart_scorecard_rules"):
        sections += [
            "<p>Fitted scorecard, strongest rules / 実績から推定した採点表(上位ルール):</p>",
            _table(connection, SCORECARD_TOP_RULES, [10]),
        ]
    return sections


def render_report(connection: duckdb.DuckDBPyConnection) -> str:
    [(as_of,)] = connection.sql("select max(scored_as_of) from marts.fct_lead_scores").fetchall()
    sections = [
        f"<h1>Weekly lead report / 週次リードレポート</h1><p class='note'>Scores as of {as_of}; generated "
        f"{datetime.now().isoformat(timespec='minutes')}.</p>",
        "<h2>Executives / 経営層</h2>",
        _image(report_charts.kpi_trend(connection), "KPI trend"),
        _table(
            connection,
            "select kpi_month as month, new_leads, mqls as mqls_handed_off, sqls, new_customers, "
            "expansion_wins, round(mql_to_sql_rate, 3) as mql_to_sql, "
            "round(mql_to_won_rate, 3) as mql_to_won, "
            "round(median_days_lead_to_close) as median_days_to_close, round(cac_jpy) as cac_jpy, "
            "round(cohort_cac_jpy) as cohort_cac_jpy, is_cohort_mature as mature, won_amount_jpy "
            "from marts.mart_kpi_monthly where channel_code = 'all' order by kpi_month desc limit 6",
        ),
        _image(report_charts.funnel(connection), "Funnel"),
        "<h2>Marketing / マーケティング</h2>",
        _image(report_charts.sla_compliance(connection), "SLA compliance"),
        "<p>Two MQLs: handed off by the CRM vs qualified by score (&gt;= the MQL threshold) / "
        "CRM引き渡しMQLとスコア基準MQLの一致:</p>",
        _table(
            connection,
            "select kpi.kpi_month as month, kpi.mqls as handed_off, "
            "sla.handoffs_below_score_target as handed_off_below_score, "
            "kpi.score_qualified_at_decision as score_qualified, "
            "kpi.score_qualified_not_handed_off as score_qualified_not_handed_off "
            "from marts.mart_kpi_monthly as kpi left join marts.mart_sla_compliance_monthly as sla "
            "on sla.handoff_month = kpi.kpi_month and sla.breakdown = 'total' "
            "where kpi.channel_code = 'all' order by kpi.kpi_month desc limit 6",
        ),
        _image(report_charts.score_band_conversion(connection), "Score band conversion"),
        _table(
            connection,
            "select score_band, leads, won, round(conversion_rate, 3) as conversion_rate, "
            "recommended_action_ja as 推奨アクション, converts_worse_than_a_lower_band as needs_review "
            "from marts.mart_score_band_conversion order by sort_order",
        ),
        *_score_comparison(connection),
        "<h2>Sales / 営業</h2>",
        _image(report_charts.response_by_rep(connection), "Response by rep"),
        "<p>Overdue leads (not contacted past the SLA) / 初回接触が期限切れのリード:</p>",
        _table(
            connection,
            "select r.lead_id, r.owner_name as 担当者, r.handed_date as 引き渡し日, "
            "round(r.waiting_hours, 1) as waiting_hours, s.total_score, s.top_reasons as 理由 "
            "from marts.fct_sla_lead_response r join marts.fct_lead_scores s using (lead_id) "
            "where r.is_overdue order by s.total_score desc limit 15",
        ),
        "<p>New alerts for sales / 営業への通知:</p>",
        _table(
            connection,
            "select lead_id, owner_name as 担当者, alert_label_ja as 通知, total_score, "
            "recommended_action_ja as 推奨アクション, top_reasons as 理由 from marts.mart_handoff_alerts "
            "order by total_score desc limit 15",
        ),
    ]
    return (
        f"<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>Weekly lead report</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(sections)}</body></html>"
    )


def write_report(database: Path, out: Path) -> Path:
    """Render the report from the warehouse at ``database`` into ``out`` (read-only access)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        content = render_report(connection)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(content, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m reporting.report", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help=f"HTML file (default: reports/{REPORT_NAME})")
    args = parser.parse_args(argv)
    path = write_report(settings.warehouse_path(), args.out or settings.reports_dir() / REPORT_NAME)
    print(f"Weekly report written to {path}")


if __name__ == "__main__":
    main()
