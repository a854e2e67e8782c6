"""``python -m orchestration.refresh [--landing DIR] [--as-of DATE] [--vars JSON] [--retrain]
[--full-refresh]``: run the refresh job once (and, with --retrain, the re-training job after it),
recorded in the Dagster instance.

--landing reads the exports of that folder; --as-of scores as of the end of that Japan date (dbt var
scoring_as_of); --vars sets any other dbt vars (a JSON object). The vars are the run's: the loader and
dbt read them, and the run carries them as a tag. --full-refresh rebuilds the incremental event models
from every loaded row instead of adding the new loads.

This is what ``make demo`` and ``make refresh`` run. The runs appear in the Dagster UI (``make dev``)
like scheduled ones, because they use the same instance (DAGSTER_HOME, default .dagster_home).
"""

import argparse
import json
import os
import sys
from datetime import date

from dagster import DagsterInstance, ExecuteInProcessResult

from export_loader import run_lock
from export_loader.raw_load import refresh_dbt_vars
from orchestration.assets.publish import PUBLISHED
from warehouse_core import settings

_INFO_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
DBT_VARS_TAG = "lead_warehouse/dbt_vars"
_VARS_EXAMPLE = '{"behavior_half_life_days": 45}'


def run_config(full_refresh: bool = False) -> dict:
    """INFO logs on the console; with full_refresh, the dbt step rebuilds the incremental models."""
    from orchestration.assets.dbt_models import lead_warehouse_dbt_models

    config = dict(_INFO_LOGS)
    if full_refresh:
        config["ops"] = {lead_warehouse_dbt_models.op.name: {"config": {"full_refresh": True}}}
    return config


def _step_failures(result: ExecuteInProcessResult) -> list[str]:
    return [
        f"{event.step_key}: {event.step_failure_data.error.message.strip()}"
        for event in result.get_step_failure_events()
        if event.step_failure_data and event.step_failure_data.error
    ]


def not_published_reason(result: ExecuteInProcessResult) -> str | None:
    """None when the run published the warehouse; otherwise why it did not, in a sentence."""
    if any(event.asset_key == PUBLISHED for event in result.get_asset_materialization_events()):
        return None
    failures = _step_failures(result)
    if failures:
        return "a step failed: " + " | ".join(failures)
    skipped = [event.step_key for event in result.get_step_skipped_events()]
    return "the publish step did not run" + (f" (skipped: {', '.join(skipped)})" if skipped else "")


def _run(job_name: str, instance: DagsterInstance, full_refresh: bool = False) -> bool:
    # Imported here: the definitions read the settings that main() took from the command line.
    from orchestration.definitions import defs

    tags = {DBT_VARS_TAG: json.dumps(refresh_dbt_vars(), ensure_ascii=False)}
    try:
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, run_config=run_config(full_refresh), raise_on_error=False, tags=tags
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
        return False
    # Alerts and CRM files go out after publishing: their failure leaves fresh marts, but it is a failure.
    failures = _step_failures(result)
    if failures:
        print(
            f"{job_name} published the warehouse, but a step after publishing failed: "
            + " | ".join(failures)
            + "\nFix the cause, then send what this run did not: `python -m alerting deliver` for alerts, "
            "`python -m crm_writeback` for the CRM files.",
            file=sys.stderr,
        )
        return False
    return True


def apply_arguments(args: argparse.Namespace) -> None:
    """Put the command's settings where the loader, dbt and Dagster read them (the environment)."""
    if args.landing:
        os.environ[settings.LANDING_DIR_VARIABLE] = str(args.landing)
    override = settings.dbt_vars_override()
    if args.vars:
        try:
            given = json.loads(args.vars)
        except ValueError as error:
            raise SystemExit(f"--vars is not a JSON object ({error}): {args.vars}") from None
        if not isinstance(given, dict):
            raise SystemExit(
                f'--vars must be a JSON object such as {{"scoring_as_of": "2026-06-30"}}: {args.vars}'
            )
        override.update(given)
    if args.as_of:
        override["scoring_as_of"] = args.as_of.isoformat()
    os.environ[settings.DBT_VARS_VARIABLE] = json.dumps(override, ensure_ascii=False)
    settings.dagster_home()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", help="folder with the exports to load (default: data/landing)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="score as of the end of this Japan date, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--vars", help="other dbt vars as a JSON object, e.g. '{\"behavior_half_life_days\": 45}'"
    )
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
    apply_arguments(args)
    from orchestration.jobs import refresh_warehouse_job, retrain_models_job

    with DagsterInstance.get() as instance:
        if not _run(refresh_warehouse_job.name, instance, args.full_refresh):
            return 1
        if args.retrain and not _run(retrain_models_job.name, instance):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
