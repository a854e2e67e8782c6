"""One benchmark stage in its own process, so that its peak memory can be measured on its own.

``python -m bench.stage <landing> <database> <as-of>``: load every export, then ``dbt build``.
"""

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from orchestration.dbt_command import DBT_BUILD, DBT_EXECUTABLE
from orchestration.raw_exports import RAW_EXPORTS
from orchestration.raw_load import load_export
from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_PATH_VARIABLE, ensure_pii_salt
from scoring_udfs.dbt_plugin import apply_resource_limits


def run_stage(landing: Path, database: Path, as_of: date) -> dict[str, float]:
    started = time.perf_counter()
    ensure_pii_salt(database.parent)
    with duckdb.connect(str(database)) as connection:
        apply_resource_limits(connection)  # the same threads and memory limit as dbt's connection
        for export in RAW_EXPORTS:
            load_export(connection, export, landing)
    loaded = time.perf_counter()
    environment = {**os.environ, WAREHOUSE_PATH_VARIABLE: str(database)}
    subprocess.run(
        [
            DBT_EXECUTABLE,
            *DBT_BUILD,
            "--quiet",
            "--vars",
            json.dumps({"scoring_as_of": as_of.isoformat()}),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        cwd=DBT_PROJECT_DIR,
        env=environment,
        check=True,
    )
    finished = time.perf_counter()
    return {"raw_load_s": loaded - started, "dbt_build_s": finished - loaded}


if __name__ == "__main__":
    landing_dir, database_path, as_of_text = sys.argv[1:4]
    print(json.dumps(run_stage(Path(landing_dir), Path(database_path), date.fromisoformat(as_of_text))))
