"""``python -m orchestration.refresh [--retrain] [--full-refresh]``: run the refresh job once (and, with
--retrain, the re-training job after it), recorded in the Dagster instance. --full-refresh rebuilds
the incremental event models from every loaded row instead of adding the new loads.

This is what ``make demo`` runs. The runs appear in the Dagster UI (``make dev``) like scheduled ones,
because they use the same instance (``DAGSTER_HOME``).
"""

import argparse
import sys

from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration import run_lock, settings
from orchestration.assets.dbt_models import lead_warehouse_dbt_models
from orchestration.assets.publish import PUBLISHED
from orchestration.definitions import defs
from orchestration.jobs import refresh_warehouse_job, retrain_models_job

_INFO_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_config(full_refresh: bool = False) -> dict:
    """INFO logs on the console; with full_refresh, the dbt step rebuilds the incremental models."""
    config = dict(_INFO_LOGS)
    if full_refresh:
        config["ops"] = {lead_warehouse_dbt_models.op.name: {"config": {"full_refresh": True}}}
    return config


def not_published_reason(result: ExecuteInProcessResult) -> str | None:
    """None when the run published the warehouse; otherwise why it did not, in a sentence."""
    if any(event.asset_key == PUBLISHED for event in result.get_asset_materialization_events()):
        return None
    failures = [
        f"{event.step_key}: {event.step_failure_data.error.message.strip()}"
        for event in result.get_step_failure_events()
        if event.step_failure_data and event.step_failure_data.error
    ]
    if failures:
        return "a step failed: " + " | ".join(failures)
    skipped = [event.step_key for event in result.get_step_skipped_events()]
    return "the publish step did not run" + (f" (skipped: {', '.join(skipped)})" if skipped else "")


def _run(job_name: str, instance: DagsterInstance, full_refresh: bool = False) -> bool:
    try:
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, run_config=run_config(full_refresh), raise_on_error=False
        )
    finally:
        # Whatever happened, this process's run is over.
        run_lock.release(settings.warehouse_path())
    reason = not_published_reason(result)
    if reason:
        print(
            f"{job_name} did not publish the warehouse, because {reason}\nThe marts of the last "
            "successful run are still in place; the log above has the details.",
            file=sys.stderr,
        )
    return reason is None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--retrain",
        action="store_true",
        help="also fit rule points and train the predictive model after the refresh",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental event models from every loaded row (after changing their SQL)",
    )
    args = parser.parse_args(argv)
    with DagsterInstance.get() as instance:
        if not _run(refresh_warehouse_job.name, instance, args.full_refresh):
            return 1
        if args.retrain and not _run(retrain_models_job.name, instance):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
