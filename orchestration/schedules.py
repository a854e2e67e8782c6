"""Daily refresh at 06:00 Japan time, before the sales team starts its day; weekly re-training on
Monday at 05:00, so Monday's refresh already scores with the new model."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.jobs import refresh_warehouse_job, retrain_models_job

daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh_schedule",
    job=refresh_warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Tokyo",
    default_status=DefaultScheduleStatus.RUNNING,
)

weekly_retraining_schedule = ScheduleDefinition(
    name="weekly_retraining_schedule",
    job=retrain_models_job,
    cron_schedule="0 5 * * 1",
    execution_timezone="Asia/Tokyo",
    default_status=DefaultScheduleStatus.RUNNING,
)
