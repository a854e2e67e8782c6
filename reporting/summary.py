"""``python -m reporting.summary``: what the warehouse holds and how to use it."""

import duckdb

from alerting.delivery_log import log_file_for, status_counts
from lead_evaluation.comparison import SCORECARD_TOP_RULES, SCORES_SIDE_BY_SIDE
from lead_evaluation.warehouse import read_frame, table_exists
from reporting import onboarding
from warehouse_core import settings

_HOTTEST_LEADS = (
    "select lead_id, total_score, score_band, buying_stage_label_ja, top_reasons "
    "from marts.fct_lead_scores order by total_score desc limit 10"
)
_SCHEMAS = ("raw", "staging", "intermediate", "marts", "seeds", "snapshots", "ml")
_SCORECARD_RULES_SHOWN = 8


def table_row_counts(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every table and view of our schemas."""
    relations = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (select unnest($schemas)) and not starts_with(table_name, '_') "
        "order by table_schema, table_name",
        {"schemas": list(_SCHEMAS)},
    ).fetchall()
    counts = []
    for schema, table in relations:
        quoted = f'"{schema}"."{table}"'
        counts.append((schema, table, connection.execute(f"select count(*) from {quoted}").fetchall()[0][0]))
    return counts


def score_quality(connection: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Backtest figures per score, when the backtest has run."""
    if not table_exists(connection, "marts", "mart_backtest_summary"):
        return []
    return connection.execute(SCORES_SIDE_BY_SIDE).fetchall()


def render_scorecard(connection: duckdb.DuckDBPyConnection) -> str:
    """The fitted scorecard's strongest rules, with the leads and won deals they rest on."""
    rows = connection.execute(SCORECARD_TOP_RULES, [_SCORECARD_RULES_SHOWN]).fetchall()
    lines = [
        "",
        "  Fitted scorecard (marts.mart_scorecard_rules; seed CSVs in reports/fitted_scorecard), top rules:",
    ]
    lines += [
        f"      {rule_id}  {points:+4d}  {label:<36}  {leads:>6,} leads {won:>5,} won ({_rate(rate)})"
        for rule_id, label, points, leads, won, rate in rows
    ]
    return "\n".join(lines)


def feature_review(connection: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The features the newest model did not use, or used though the leakage guard flagged them."""
    if not table_exists(connection, "marts", "mart_model_features"):
        return []
    return connection.execute(
        "select feature, status, coalesce(reasons, '') from marts.mart_model_features "
        "where status not in ('used', 'empty') order by status, feature"
    ).fetchall()


def render_feature_review(rows: list[tuple]) -> str:
    lines = ["", "  Leakage guard (marts.mart_model_features): features excluded from the model or flagged:"]
    lines += [f"      {feature:<32} {status:<20} {reasons}" for feature, status, reasons in rows]
    if not rows:
        lines.append("      (none: the model used every feature)")
    return "\n".join(lines)


def _rate(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_summary(counts: list[tuple[str, str, int]], database: str, quality: list[tuple] = ()) -> str:
    lines = ["", "Lead-qualification warehouse is ready.", f"  DuckDB file: {database}"]
    if settings.engine() == "spark":
        tables = settings.spark_warehouse_dir()
        lines.append(f"  Built on Spark: tables in {tables}, read through the file's views")
    lines.append("")
    for schema in _SCHEMAS:
        in_schema = [(table, rows) for s, table, rows in counts if s == schema]
        if not in_schema:
            continue
        total = sum(rows for _, rows in in_schema)
        lines.append(f"  {schema:<13} {len(in_schema):>3} tables {total:>14,} rows")
        if schema == "marts":
            lines.extend(f"      {table:<40} {rows:>12,}" for table, rows in in_schema)
    if quality:
        lines += [
            "",
            "  Scores side by side on the most recently decided leads (marts.mart_backtest_summary):",
            f"      {'score':<20} {'leads':>6} {'won':>5} {'AUC':>6} {'cal.err':>8} {'lift D1':>8}",
        ]
        lines += [
            f"      {name:<20} {leads:>6,} {won:>5,} {_rate(auc):>6} {_rate(error):>8} {_rate(lift):>8}"
            for name, leads, won, auc, error, lift in quality
        ]
    else:
        lines += [
            "",
            "  Backtest: not run yet — too few leads with a mature outcome (won or lost). It starts by",
            "  itself in the refresh after enough deals have closed (seed evaluation_settings).",
        ]
    lines += [
        "",
        "Next:",
        "  make backtest the full backtest; RULES_DIR=folder make backtest adds a rule set of your own",
        "  make dev      open the Dagster UI (http://localhost:3000) to see runs and lineage",
        "  make dashboard  the dashboard at http://127.0.0.1:8501 (executive, marketing, sales, lead pages)",
        f"  open {settings.reports_dir() / 'weekly_report.html'}   the weekly report with charts",
        "  the hottest leads and why (DuckDB's Python API; any DuckDB client or BI tool works too):",
        f"  .venv/bin/python -c \"import duckdb; duckdb.connect('{database}', read_only=True).sql("
        f"'{_HOTTEST_LEADS}').show()\"",
    ]
    return "\n".join(lines)


def render_alert_deliveries(counts: dict[str, int], log: str) -> str:
    """Alert deliveries per status (queued, sent, failed, given_up), from the delivery log."""
    if not counts:
        return (
            "\n  Alerts: none delivered yet. Set a route's variable (alerting/alert_routes.yml) and check it "
            "with make alert-test."
        )
    shown = ", ".join(f"{count:,} {status}" for status, count in counts.items())
    return f"\n  Alert deliveries ({log}): {shown}"


def main() -> None:
    database = settings.warehouse_path()
    with duckdb.connect(str(database), read_only=True) as connection:
        print(render_summary(table_row_counts(connection), str(database), score_quality(connection)))
        if table_exists(connection, "marts", "mart_scorecard_rules"):
            print(render_scorecard(connection))
        if table_exists(connection, "marts", "mart_model_features"):
            print(render_feature_review(feature_review(connection)))
        if table_exists(connection, "marts", onboarding.TABLE):
            summary = read_frame(connection, f"select * from marts.{onboarding.TABLE}")
            print(onboarding.render(summary))
    log = log_file_for(database)
    print(render_alert_deliveries(status_counts(log), str(log)))


if __name__ == "__main__":
    main()
