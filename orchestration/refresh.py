"""``python -m orchestration.refresh [--retrain] [--full-refresh]``: run the refresh job once (and, with
--retrain, the re-training job after it), recorded in the Dagster instance. --full-refresh rebuilds
the incremental event models from every loaded row instead of adding the new loads.

This is what ``make demo`` runs. The runs appear in the Dagster UI (``make dev``) like scheduled ones,
because they use the same instance (``DAGSTER_HOME``).
"""

import argparse
import sys

from dagster import DagsterInstance

from orchestration.assets.dbt_models import lead_warehouse_dbt_models
from orchestration.definitions import defs
from orchestration.jobs import refresh_warehouse_job, retrain_models_job

_INFO_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def run_config(full_refresh: bool = False) -> dict:
    """INFO logs on the console; with full_refresh, the dbt step rebuilds the incremental models."""
    config = dict(_INFO_LOGS)
    if full_refresh:
        config["ops"] = {lead_warehouse_dbt_models.op.name: {"config": {"full_refresh": True}}}
    return config


def _run(job_name: str, instance: DagsterInstance, full_refresh: bool = False) -> bool:
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, run_config=run_config(full_refresh), raise_on_error=False
    )
    if not result.success:
        print(
            f"{job_name} failed; the step that failed and its error are above. The marts of the last "
            "successful run are still in place.",
            file=sys.stderr,
        )
    return result.success


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
