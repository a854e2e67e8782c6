"""The dbt project as Dagster sees it, and the manifest dagster-dbt reads at import time."""

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.dbt_command import DBT_EXECUTABLE
from warehouse_core import settings

_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_IGNORED_FOLDERS = {"target", "logs", "dbt_packages"}

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


def _newest_source_change(project_dir: Path) -> float:
    newest = 0.0
    for path in project_dir.rglob("*"):
        if path.suffix in _SOURCE_SUFFIXES and not _IGNORED_FOLDERS.intersection(
            path.relative_to(project_dir).parts
        ):
            newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_source_change(dbt_project.project_dir)


def build_manifest() -> Path:
    """Run ``dbt parse`` so that ``target/manifest.json`` describes the project as it is now."""
    settings.warehouse_path()  # exports the variable profiles.yml reads, as every run does
    command = [
        DBT_EXECUTABLE,
        "parse",
        "--project-dir",
        str(dbt_project.project_dir),
        "--profiles-dir",
        str(dbt_project.profiles_dir),
        # Where dagster-dbt reads it, whatever DBT_TARGET_PATH says (dagster-dbt sets that per run).
        "--target-path",
        str(dbt_project.target_path),
        "--quiet",
    ]
    completed = subprocess.run(command, cwd=dbt_project.project_dir, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(
            "dbt could not parse dbt_project/ (fix the error below, then run `make manifest`):\n"
            + completed.stdout
            + completed.stderr
        )
    return dbt_project.manifest_path


def ensure_manifest() -> Path:
    """Build the manifest when it is missing or older than any dbt file, so edits are never ignored."""
    if manifest_is_stale():
        print("dbt files changed since the last parse: running `dbt parse` ...", file=sys.stderr, flush=True)
        build_manifest()
    return dbt_project.manifest_path
