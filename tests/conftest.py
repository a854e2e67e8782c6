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
# Work units that take minutes, longest first: handed out before all others, so that the run does not
# end with one worker still in a long unit; the rest go by test count, most first (xdist's order).
# One CI run's --durations: Spark 1,547 s; incremental refresh 834; scoring 816; run lock 778;
# refresh command 735; export profiles 565; the rest under 330.
LONGEST_UNITS = (
    "tests/spark",
    "tests/dbt_project/test_incremental_refresh.py",
    "tests/dbt_project/test_scoring.py",
    "tests/orchestration/test_run_lock.py",
    "tests/orchestration/test_refresh_command.py",
    "tests/export_loader/test_export_profiles_end_to_end.py",
    "tests/alerting/test_delivery.py",
    "tests/lead_evaluation/test_scorecard_on_a_flat_list.py",
    "tests/test_demo_figures.py",
    "tests/test_bench_smoke.py",
)


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

    @staticmethod
    def _split_scope(nodeid: str) -> str:
        module = PurePosixPath(nodeid.split("::")[0])
        return str(module.parent) if module.parent.name in SHARED_FIXTURE_FOLDERS else str(module)

    def _assign_work_unit(self, node) -> None:
        """The longest unit left goes next, so that the run does not end on one worker busy with it."""
        longest = next((unit for unit in LONGEST_UNITS if unit in self.workqueue), None)
        if longest:
            self.workqueue.move_to_end(longest, last=False)
        super()._assign_work_unit(node)

    def _reschedule(self, node) -> None:
        """A worker gets its next unit when it holds one test it has not started. (A worker runs a
        test once it holds the one after it; xdist's own threshold, two, queued a unit behind a
        test still running, for minutes, while the other worker could have taken it.)"""
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
        elif self._pending_of(self.assigned_work[node]) <= 1:
            self._assign_work_unit(node)


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
