"""Refresh when exports land: a new or changed file in the landing folder starts the refresh job."""

import hashlib
from pathlib import Path

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from export_loader.profiles import load_profiles
from export_loader.raw_load import matching_files
from orchestration.jobs import refresh_warehouse_job
from warehouse_core import settings


def landing_fingerprint(landing: Path) -> str | None:
    """A fingerprint of the export files an export profile maps (name, size, modification time);
    None if there are none."""
    files = sorted({path for path, _ in matching_files(landing, load_profiles(settings.profiles_dir()))})
    if not files:
        return None
    described = "\n".join(f"{path.name}|{path.stat().st_size}|{path.stat().st_mtime_ns}" for path in files)
    return hashlib.sha256(described.encode()).hexdigest()


@sensor(job=refresh_warehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def landing_folder_sensor(context: SensorEvaluationContext):
    fingerprint = landing_fingerprint(settings.landing_dir())
    if fingerprint is None:
        return SkipReason(f"No exports in {settings.landing_dir()} yet.")
    if fingerprint == context.cursor:
        return SkipReason("No new or changed exports since the last refresh.")
    context.update_cursor(fingerprint)
    return RunRequest(run_key=fingerprint)
