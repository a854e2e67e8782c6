"""Jobs, each in one process (DuckDB has one writer).

refresh_warehouse_job: every raw load, the dbt build, predictions with the deployed model, the
backtest, A/B tests and the report. retrain_models_job: fits rule points and trains the predictive
model, then refreshes what depends on them. Both build in a copy of the warehouse and publish it
only when every step succeeded (export_loader/publish.py), one run at a time: the run lock
(export_loader/run_lock.py) covers runs started anywhere, and the run tag below lets the Dagster
instance queue them (dagster.yaml: tag_concurrency_limits) instead of starting them together.
"""

from dagster import AssetSelection, define_asset_job, in_process_executor

from orchestration.assets.evaluation import TRAINING_ASSETS
from orchestration.assets.publish import BUILD_STARTED, release_run_lock_on_failure

_TRAINING = AssetSelection.assets(*TRAINING_ASSETS)
# Every job that writes the warehouse carries this tag; the instance runs one such run at a time.
WAREHOUSE_WRITER_TAG = {"lead_warehouse/writes": "warehouse"}

refresh_warehouse_job = define_asset_job(
    name="refresh_warehouse_job",
    selection=AssetSelection.all() - _TRAINING,
    description="Load every export from the landing folder into raw, build and test the dbt project, "
    "then predictions, backtest, A/B tests and the weekly report.",
    executor_def=in_process_executor,
    run_tags=WAREHOUSE_WRITER_TAG,
    hooks={release_run_lock_on_failure},
)

retrain_models_job = define_asset_job(
    name="retrain_models_job",
    selection=_TRAINING.downstream() | AssetSelection.assets(BUILD_STARTED),
    description="Fit rule points and train the predictive model on the latest outcomes, then refresh the "
    "predictions and the backtest that compares them.",
    executor_def=in_process_executor,
    run_tags=WAREHOUSE_WRITER_TAG,
    hooks={release_run_lock_on_failure},
)
