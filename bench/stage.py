"""One benchmark stage in its own process, so that its peak memory can be measured on its own.

``python -m bench.stage <landing> <database> <as-of>``: as a refresh does (export_loader/publish.py),
copy the warehouse to a build file, load every export and ``dbt build`` there (on the engine
LEAD_WAREHOUSE_ENGINE selects), then publish the build file in place of the warehouse. Prints the
seconds of each step and dbt's node-seconds by layer.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from export_loader.publish import build_file_for, publish, start_build
from export_loader.raw_exports import RAW_EXPORTS
from export_loader.raw_load import load_export
from orchestration.dbt_command import DBT_BUILD, dbt_target_dir, engine_dbt
from scoring_udfs.dbt_plugin import apply_resource_limits
from warehouse_core.settings import (
    DBT_PROJECT_DIR,
    SPARK_WAREHOUSE_DIR_VARIABLE,
    WAREHOUSE_PATH_VARIABLE,
    ensure_pii_salt,
)

# Waits for an argv and an environment (one JSON line on stdin) and becomes that command.
_EXEC_FROM_STDIN = (
    "import json, os, sys; argv, env = json.loads(sys.stdin.read()); os.execvpe(argv[0], argv, env)"
)


def run_stage(landing: Path, database: Path, as_of: date) -> dict[str, float]:
    started = time.perf_counter()
    # dbt is started from a process forked now, while this one is small: Linux carries a process's
    # peak RSS into the children it forks, so a dbt forked after loading would report the loader's
    # peak as its own.
    launcher = start_launcher()
    try:
        return _run_stage(landing, database, as_of, started, launcher)
    finally:
        if launcher.returncode is None:
            launcher.kill()
            launcher.wait()


def _run_stage(
    landing: Path, database: Path, as_of: date, started: float, launcher: subprocess.Popen
) -> dict[str, float]:
    ensure_pii_salt(database.parent)
    build = build_file_for(database, "bench")
    made = start_build(database, build, "bench")
    copied = time.perf_counter()
    with duckdb.connect(str(build)) as connection:
        apply_resource_limits(connection)  # the same threads and memory limit as dbt's connection
        for export in RAW_EXPORTS:
            load_export(connection, export, landing)
    loaded = time.perf_counter()
    # On Spark (LEAD_WAREHOUSE_ENGINE=spark) the tables live beside the bench's DuckDB file.
    environment = {
        **os.environ,
        WAREHOUSE_PATH_VARIABLE: str(build),
        SPARK_WAREHOUSE_DIR_VARIABLE: str(spark_tables_of(database)),
    }
    executable, target = engine_dbt()
    dbt_peak_mb = run_launched(
        launcher,
        [
            executable,
            *DBT_BUILD,
            "--target",
            target,
            "--quiet",
            "--vars",
            json.dumps({"scoring_as_of": as_of.isoformat()}),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        environment,
    )
    built = time.perf_counter()
    publish(build, database, "bench")
    finished = time.perf_counter()
    return {
        "copy_s": copied - started,
        "raw_load_s": loaded - copied,
        "dbt_build_s": built - loaded,
        "publish_s": finished - built,
        # 1 when the build file was a clone of the warehouse (a file system with reflinks), else 0.
        "build_file_cloned": float(made == "cloned"),
        # Which process holds the stage's peak: this one (copy, load, publish) or dbt's.
        "loader_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "dbt_peak_mb": dbt_peak_mb,
        **node_seconds_by_layer(dbt_target_dir()),
    }


def start_launcher() -> subprocess.Popen:
    """A small process that will become the command run_launched gives it (in DBT_PROJECT_DIR)."""
    return subprocess.Popen(
        [sys.executable, "-c", _EXEC_FROM_STDIN], stdin=subprocess.PIPE, text=True, cwd=DBT_PROJECT_DIR
    )


def run_launched(launcher: subprocess.Popen, argv: list[str], environment: dict[str, str]) -> float:
    """Run ``argv`` as the launcher (in DBT_PROJECT_DIR, with ``environment``); its peak RSS in MiB.
    Fails as subprocess.run(check=True) does."""
    assert launcher.stdin is not None
    launcher.stdin.write(json.dumps([argv, environment]))
    launcher.stdin.close()
    _, status, usage = os.wait4(launcher.pid, 0)
    launcher.returncode = os.waitstatus_to_exitcode(status)
    if launcher.returncode:
        raise subprocess.CalledProcessError(launcher.returncode, argv)
    return usage.ru_maxrss / 1024


def spark_tables_of(database: Path) -> Path:
    """Where a bench warehouse's Spark tables live (LEAD_WAREHOUSE_ENGINE=spark)."""
    return database.with_name(f"{database.stem}.spark-warehouse")


def discard(database: Path) -> None:
    """Remove a bench warehouse: its DuckDB file and, after a Spark build, its Spark tables."""
    database.unlink(missing_ok=True)
    shutil.rmtree(spark_tables_of(database), ignore_errors=True)


def node_seconds_by_layer(target: Path) -> dict[str, float]:
    """dbt's execution time summed per layer (staging / intermediate / marts models, seeds, snapshots,
    data tests) from the build's run_results.json, as node_s_<layer>."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    layers: dict[str, float] = {}
    for result in results:
        node = manifest["nodes"].get(result["unique_id"], {})
        kind = node.get("resource_type", result["unique_id"].split(".")[0])
        layer = node["fqn"][1] if kind == "model" else kind
        layers[f"node_s_{layer}"] = layers.get(f"node_s_{layer}", 0.0) + result["execution_time"]
    return layers


if __name__ == "__main__":
    landing_dir, database_path, as_of_text = sys.argv[1:4]
    print(json.dumps(run_stage(Path(landing_dir), Path(database_path), date.fromisoformat(as_of_text))))
