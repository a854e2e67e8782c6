"""Alert delivery, the step after publishing: each new alert goes once to the channels its route names
(alerting/). It reads the published warehouse, so a failing channel can never hold back publishing;
failures are logged in the run and kept in the delivery log to be retried next run."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from alerting.deliver import deliver
from alerting.delivery_log import log_file_for
from orchestration.assets.publish import PUBLISHED
from orchestration.resources import WarehouseResource


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
