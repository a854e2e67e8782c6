"""The weekly HTML report and the onboarding summary as assets, built after the marts they read."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from lead_evaluation.warehouse import replace_table
from orchestration.resources import WarehouseResource
from reporting import onboarding
from reporting.report import REPORT_NAME, write_report
from warehouse_core import settings

_MARTS_READ = [
    "mart_kpi_monthly",
    "mart_funnel_conversion",
    "mart_score_band_conversion",
    "mart_sla_compliance_monthly",
    "fct_sla_lead_response",
    "fct_lead_scores",
    "mart_handoff_alerts",
    "dim_sales_reps",
]


@asset(
    key=["reports", "weekly_html_report"],
    group_name="reports",
    deps=[AssetKey(["marts", mart]) for mart in _MARTS_READ],
    description="Weekly HTML report with charts for executives, marketing and sales.",
    kinds={"html"},
)
def weekly_html_report(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    path = write_report(warehouse.database_file, settings.reports_dir() / REPORT_NAME)
    context.log.info(f"Weekly report written to {path}")
    return MaterializeResult(
        metadata={"path": MetadataValue.path(str(path)), "size_kb": round(path.stat().st_size / 1024, 1)}
    )


@asset(
    key=["marts", onboarding.TABLE],
    group_name="reports",
    deps=[AssetKey(["marts", "fct_lead_funnel"]), AssetKey(["intermediate", "int_leads_joined_to_accounts"])],
    description="What the warehouse understood of the exports: files, fill rates, unmapped values, "
    "quarantine, leads without owner, channel or outcome (reporting/onboarding.py).",
    kinds={"python", "duckdb"},
)
def onboarding_summary(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect() as connection:
        summary = onboarding.onboarding_summary(connection)
        rows = replace_table(connection, "marts", onboarding.TABLE, summary, {"share": "double"})
    context.log.info(onboarding.render(summary))
    return MaterializeResult(metadata={"rows": rows})
