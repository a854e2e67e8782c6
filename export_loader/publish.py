"""Build into a copy, publish by swapping files: readers never see a half-refreshed warehouse.

A run holds the run lock (export_loader/run_lock.py), copies the warehouse file to its own build file
``<name>.building.<run id>.duckdb``, loads and builds everything there, and only when every step (raw
loads, the dbt build and its tests, evaluation, report) has succeeded checks that the build file is
the one this run started and replaces the warehouse file with it in one rename. A failed or killed
run leaves the previous warehouse untouched and readable; the next run deletes its build file and
starts again from the warehouse.

The copy is a clone where the file system shares blocks between files (reflinks: XFS, Btrfs,
bcachefs, OpenZFS 2.2): the build file starts as the warehouse's blocks, shared, and only the blocks
the run writes are new, so a run copies nothing and its disk grows with what it changes, not with the
warehouse's history. Elsewhere (ext4, tmpfs) it is a full copy of the file.
"""

import errno
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

BUILD_RUNS = "raw._build_runs"
# Runs outside Dagster (a script calling the assets' functions) build under this name.
DEFAULT_RUN_ID = "manual"


class PublishError(RuntimeError):
    """The build file is not the finished build of this run; nothing was published."""


def build_file_for(warehouse: Path, run_id: str = DEFAULT_RUN_ID) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.building.{run_id}{warehouse.suffix}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def leftover_builds(warehouse: Path) -> list[Path]:
    """Build files (and their WALs) of any run: only orphans when the caller holds the run lock."""
    return sorted(warehouse.parent.glob(f"{warehouse.stem}.building.*"))


# Linux's ioctl that makes a file share another's blocks (linux/fs.h FICLONE).
_FICLONE = 0x40049409
# What a file system or kernel that cannot share blocks between these files answers.
_NO_CLONE = {errno.EOPNOTSUPP, errno.ENOTTY, errno.EXDEV, errno.EINVAL, errno.ENOSYS}


def _clone(source: Path, target: Path) -> bool:
    """Make ``target`` share ``source``'s blocks (copy-on-write); False where that cannot be done."""
    if sys.platform != "linux":
        return False
    import fcntl  # POSIX only: imported where it is used, so the module loads everywhere

    with open(source, "rb") as read, open(target, "wb") as written:
        try:
            fcntl.ioctl(written.fileno(), _FICLONE, read.fileno())
        except OSError as error:
            if error.errno in _NO_CLONE:
                return False
            raise
    return True


def copy_file(source: Path, target: Path) -> str:
    """``target`` holding what ``source`` holds: "cloned" when the file system shares their blocks,
    else "copied" byte by byte."""
    if _clone(source, target):
        return "cloned"
    shutil.copyfile(source, target)
    return "copied"


def start_build(warehouse: Path, build: Path, run_id: str) -> str:
    """A fresh build file for ``run_id``: the warehouse "cloned" or "copied" (copy_file), or "new" for
    a first build. Called under the run lock, so build files left by killed runs are deleted first."""
    for stale in leftover_builds(warehouse):
        stale.unlink(missing_ok=True)
    if not warehouse.exists():
        made = "new"
    else:
        made = copy_file(warehouse, build)
        if _wal(warehouse).exists():  # left by an unclean shutdown of a writer; DuckDB replays it
            copy_file(_wal(warehouse), _wal(build))
    with duckdb.connect(str(build)) as connection:
        connection.execute("create schema if not exists raw")
        connection.execute(f"create or replace table {BUILD_RUNS} (run_id varchar, started_at timestamp)")
        connection.execute(
            f"insert into {BUILD_RUNS} values ($run_id, $at)",
            {"run_id": run_id, "at": datetime.now(UTC).replace(tzinfo=None)},
        )
    return made


def publish(build: Path, warehouse: Path, run_id: str) -> None:
    """Check the build is this run's, checkpoint it (one self-contained file) and swap it in atomically."""
    if not build.exists():
        raise PublishError(f"No build file {build} to publish: run the whole refresh job.")
    with duckdb.connect(str(build)) as connection:
        started_by = [row[0] for row in connection.execute(f"select run_id from {BUILD_RUNS}").fetchall()]
        if started_by != [run_id]:
            raise PublishError(
                f"{build} was started by run {started_by or 'unknown'}, not by this run ({run_id}); "
                "nothing was published. Run the refresh again."
            )
        connection.execute("checkpoint")
    os.replace(build, warehouse)
    _wal(warehouse).unlink(missing_ok=True)
