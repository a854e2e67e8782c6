"""One refresh at a time: a lock file beside the warehouse, held from build start to publish.

Whoever starts a run (the CLI, the landing sensor, the schedule, the Dagster UI, a script), its first
step takes ``<warehouse>.lock`` (an OS file lock through the ``filelock`` package) and its last step
or its failure releases it. A second run waits for it up to LEAD_WAREHOUSE_RUN_LOCK_WAIT_SECONDS
(default 0: stop at once) and then stops with a message naming the run that holds it. The OS drops
the lock of a process that dies, ``kill -9`` included, so a killed run never blocks the next one;
children (dbt) do not inherit it, so an orphaned dbt process cannot hold it either.
"""

import json
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

WAIT_VARIABLE = "LEAD_WAREHOUSE_RUN_LOCK_WAIT_SECONDS"
# While waiting, say so this often, so a queued run is not mistaken for a hung one.
_PROGRESS_SECONDS = 30.0


class RunLockedError(RuntimeError):
    """Another run holds the warehouse; the message names it and what to do."""


# Locks this process holds, by lock file: (lock, run id).
_held: dict[Path, tuple[FileLock, str]] = {}


def lock_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _holder_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock.json")


def wait_seconds() -> float:
    return float(os.environ.get(WAIT_VARIABLE) or 0)


def holder(warehouse: Path) -> dict | None:
    """Who took the lock last (run id, pid, host, since), as that run wrote it; None if unknown."""
    try:
        return json.loads(_holder_file(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _describe(warehouse: Path) -> str:
    info = holder(warehouse)
    if not info:
        return "another run"
    return f"run {info['run_id']} (process {info['pid']} on {info['host']}, since {info['since']} UTC)"


def acquire(
    warehouse: Path, run_id: str, wait: float | None = None, log: Callable[[str], None] = print
) -> None:
    """Take the warehouse's run lock for ``run_id``, waiting up to ``wait`` seconds, or raise
    RunLockedError naming the holder."""
    path = lock_file(warehouse)
    if path in _held:
        # Runs in one process follow each other (the in-process executor): a lock still held here
        # was left by a run of this process that ended without reaching its release.
        release(warehouse)
    lock = FileLock(path, thread_local=False)
    deadline = time.monotonic() + (wait_seconds() if wait is None else wait)
    while True:
        try:
            lock.acquire(timeout=max(0.0, min(_PROGRESS_SECONDS, deadline - time.monotonic())))
            break
        except Timeout:
            if time.monotonic() >= deadline:
                raise RunLockedError(
                    f"The warehouse {warehouse} is being refreshed by {_describe(warehouse)}: one refresh "
                    f"runs at a time. This run stops without changing anything. Run it again when that "
                    f"run has finished, or set {WAIT_VARIABLE} to wait for it."
                ) from None
            log(f"Waiting for {_describe(warehouse)} to finish its refresh of {warehouse} ...")
    _held[path] = (lock, run_id)
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    _holder_file(warehouse).write_text(
        json.dumps({"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(), "since": since}),
        encoding="utf-8",
    )


def held_by(warehouse: Path) -> str | None:
    """The run id this process holds the lock for, or None."""
    entry = _held.get(lock_file(warehouse))
    return entry[1] if entry else None


def release(warehouse: Path) -> None:
    """Release the lock if this process holds it (safe to call more than once)."""
    entry = _held.pop(lock_file(warehouse), None)
    if entry:
        _holder_file(warehouse).unlink(missing_ok=True)
        entry[0].release(force=True)
