"""Shared fixtures: small generated exports and a warehouse built from them by a real dbt build."""

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path, PurePosixPath

import duckdb
import pytest
from xdist.scheduler import LoadScopeScheduling

from export_loader.raw_exports import RAW_EXPORTS
from export_loader.raw_load import load_export
from orchestration.project import DBT_EXECUTABLE, dbt_project, ensure_manifest
from sample_exports.generator import generate
from warehouse_core.settings import LANDING_DIR_VARIABLE, WAREHOUSE_PATH_VARIABLE

# dbt's person_key UDF needs a salt; tests use a fixed one (a real installation generates its own).
os.environ.setdefault("LEAD_WAREHOUSE_PII_SALT", "test-salt-not-a-secret")

SAMPLE_AS_OF = date(2026, 6, 30)
SAMPLE_LEADS = 600
# Test folders whose modules share an expensive fixture and run in one worker: the Spark build is
# made once.
SHARED_FIXTURE_FOLDERS = ("spark",)


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        # Workers run dbt at the same time: each writes its compiled SQL, run results and logs (and
        # dagster-dbt its per-run folders) in a folder of its own.
        os.environ["DBT_TARGET_PATH"] = f"target/pytest-{worker}"
        os.environ["DBT_LOG_PATH"] = f"logs/pytest-{worker}"
    else:
        # Before any worker starts, so that no two parse the project into target/ at once.
        ensure_manifest()


class ModuleScheduling(LoadScopeScheduling):
    """pytest-xdist's loadscope, with each test module in one worker (its module fixtures are built
    once) and the modules of a shared-fixture folder together. xdist's own loadgroup cannot do this
    with pytest 9: it tags the groups onto `item._nodeid`, which pytest 9 no longer reads, so every
    test became a group of its own and a module fixture was built on each worker that got one of
    its tests (the Spark build twice)."""

    def _split_scope(self, nodeid: str) -> str:
        module = PurePosixPath(nodeid.split("::")[0])
        return str(module.parent) if module.parent.name in SHARED_FIXTURE_FOLDERS else str(module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist=loadscope` (pyproject's addopts) schedules by module; other modes stay xdist's."""
    return ModuleScheduling(config, log) if config.getoption("dist") == "loadscope" else None


@pytest.fixture(scope="session")
def sample_landing(tmp_path_factory) -> Path:
    """Exports for 600 leads, as of 2026-06-30, seed 11."""
    landing = tmp_path_factory.mktemp("landing")
    generate(landing, SAMPLE_LEADS, seed=11, as_of=SAMPLE_AS_OF, chunk_size=250, progress=lambda _: None)
    return landing


def load_all_exports(database: Path, landing: Path) -> None:
    with duckdb.connect(str(database)) as connection:
        for export in RAW_EXPORTS:
            load_export(connection, export, landing)


def run_dbt(database: Path, *args: str, project_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run dbt on ``database`` (and on a copy of the project, when given), failing loudly."""
    project = project_dir or dbt_project.project_dir
    environment = {**os.environ, WAREHOUSE_PATH_VARIABLE: str(database)}
    completed = subprocess.run(
        [DBT_EXECUTABLE, *args, "--project-dir", str(project), "--profiles-dir", str(project)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def as_of_vars(as_of: date) -> str:
    return json.dumps({"scoring_as_of": as_of.isoformat()})


@pytest.fixture(scope="session")
def built_warehouse(sample_landing, tmp_path_factory) -> Path:
    """Raw loads plus ``dbt build`` (models, seeds, snapshot, data and unit tests) as of 2026-06-30."""
    database = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    load_all_exports(database, sample_landing)
    run_dbt(database, "build", "--vars", as_of_vars(SAMPLE_AS_OF))
    return database


@pytest.fixture
def isolated_paths(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A fresh warehouse file and landing folder, exported as the variables dbt and the loader read."""
    database, landing = tmp_path / "warehouse.duckdb", tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv(WAREHOUSE_PATH_VARIABLE, str(database))
    monkeypatch.setenv(LANDING_DIR_VARIABLE, str(landing))
    return database, landing


@pytest.fixture
def scratch_warehouse(built_warehouse, tmp_path) -> Path:
    """A copy of the built warehouse that a test may change."""
    copy = tmp_path / "scratch.duckdb"
    shutil.copy(built_warehouse, copy)
    return copy


@pytest.fixture
def scratch_project(tmp_path) -> Path:
    """A copy of the dbt project whose seeds a test may edit."""
    copy = tmp_path / "dbt_project"
    shutil.copytree(dbt_project.project_dir, copy, ignore=shutil.ignore_patterns("target", "logs"))
    return copy
