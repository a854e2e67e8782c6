"""Alert delivery, the step after publishing: each new alert goes once to the channels its route names
(alerting/). It reads the published warehouse, so a failing channel can never hold back publishing;
failures are logged in the run and kept in the delivery log to be retried next run. The next run
copies the log's statuses into its build (raw.alert_deliveries), so the SLA mart shows them."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from alerting.deliver import deliver
from alerting.delivery_log import copy_into, log_file_for
from orchestration.assets.publish import BUILD_STARTED, PUBLISHED
from orchestration.resources import WarehouseResource


@asset(
    key=["raw", "alert_deliveries"],
    group_name="raw",
    deps=[BUILD_STARTED],
    kinds={"duckdb"},
    description="The delivery log's statuses as the previous runs left them, copied into this run's build "
    "for the SLA mart (who was alerted, what failed).",
)
def alert_deliveries_copied(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    log_file = log_file_for(warehouse.published_file)
    with warehouse.connect() as connection:
        rows = copy_into(connection, log_file)
    if rows is None:
        context.log.info(f"No delivery log yet ({log_file}): no alert was ever delivered.")
    return MaterializeResult(metadata={"rows": rows or 0, "delivery_log": str(log_file)})


@asset(
    key=["alerts", "handoff_alerts_delivered"],
    group_name="alerts",
    deps=[PUBLISHED],
    kinds={"python"},
    description="Sends each new handoff alert once to its owner's channels (e-mail, Slack, Teams, webhook) "
    "and records it in the delivery log beside the warehouse.",
)
def handoff_alerts_delivered(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    summary = deliver(warehouse.published_file)
    context.log.info(f"Alerts: {summary.describe()}")
    for error in summary.errors:
        context.log.warning(f"Alert not delivered: {error}")
    return MaterializeResult(
        metadata={
            "alerts": summary.alerts,
            "newly_queued": summary.queued,
            **{f"deliveries_{status}": count for status, count in summary.statuses.items()},
            "routes_not_configured": ", ".join(summary.not_configured) or "none",
            "delivery_log": str(log_file_for(warehouse.published_file)),
        }
    )
