"""Daily refresh at 06:00 Japan time, before the sales team starts its day."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.jobs import refresh_warehouse_job

daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh_schedule",
    job=refresh_warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Tokyo",
    default_status=DefaultScheduleStatus.RUNNING,
)
