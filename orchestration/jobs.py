"""The refresh job: every raw load, then the dbt build, in one process (DuckDB has one writer)."""

from dagster import AssetSelection, define_asset_job, in_process_executor

refresh_warehouse_job = define_asset_job(
    name="refresh_warehouse_job",
    selection=AssetSelection.all(),
    description="Load every export from the landing folder into raw, then build and test the dbt project.",
    executor_def=in_process_executor,
)
