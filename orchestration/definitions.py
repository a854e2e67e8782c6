"""The Dagster code location (``dagster dev -m orchestration.definitions``)."""

from dagster import Definitions, in_process_executor

from orchestration.assets.alerts import alert_deliveries_copied, handoff_alerts_delivered
from orchestration.assets.crm_writeback import crm_writeback_files
from orchestration.assets.dbt_models import lead_warehouse_dbt_models
from orchestration.assets.evaluation import evaluation_assets
from orchestration.assets.publish import build_published, build_started
from orchestration.assets.raw_exports import raw_export_assets
from orchestration.assets.reports import onboarding_summary, weekly_html_report
from orchestration.jobs import refresh_warehouse_job, retrain_models_job
from orchestration.resources import build_resources
from orchestration.schedules import daily_refresh_schedule, weekly_retraining_schedule
from orchestration.sensors import landing_folder_sensor

_ASSETS = [
    build_started,
    *raw_export_assets,
    alert_deliveries_copied,
    lead_warehouse_dbt_models,
    *evaluation_assets,
    weekly_html_report,
    onboarding_summary,
]

defs = Definitions(
    # Alerts and CRM files go out after publishing: they read the published warehouse, never holding it back.
    assets=[
        *_ASSETS,
        build_published(key for assets in _ASSETS for key in assets.keys),
        handoff_alerts_delivered,
        crm_writeback_files,
    ],
    jobs=[refresh_warehouse_job, retrain_models_job],
    schedules=[daily_refresh_schedule, weekly_retraining_schedule],
    sensors=[landing_folder_sensor],
    resources=build_resources(),
    executor=in_process_executor,
)
