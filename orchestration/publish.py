"""Build into a copy, publish by swapping files: readers never see a half-refreshed warehouse.

A run copies the warehouse file to ``<name>.building.duckdb``, loads and builds everything there,
and only when every step (raw loads, the dbt build and its tests, evaluation, report) has succeeded
replaces the warehouse file with it in one rename. A failed or killed run leaves the previous
warehouse untouched and readable; the next run starts again from it.
"""

import os
import shutil
from pathlib import Path

import duckdb


def build_file_for(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.building{warehouse.suffix}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def start_build(warehouse: Path, build: Path) -> bool:
    """A fresh build file: a copy of the warehouse (True), or nothing for a first build (False)."""
    for stale in (build, _wal(build)):
        stale.unlink(missing_ok=True)
    if not warehouse.exists():
        return False
    shutil.copyfile(warehouse, build)
    if _wal(warehouse).exists():  # left by an unclean shutdown of a writer; DuckDB replays it
        shutil.copyfile(_wal(warehouse), _wal(build))
    return True


def publish(build: Path, warehouse: Path) -> None:
    """Checkpoint the build (so it is one self-contained file) and swap it in atomically."""
    if not build.exists():
        raise FileNotFoundError(f"No build file {build} to publish: run the whole refresh job.")
    with duckdb.connect(str(build)) as connection:
        connection.execute("checkpoint")
    os.replace(build, warehouse)
    _wal(warehouse).unlink(missing_ok=True)
