"""``lead-warehouse-spark-dbt <dbt arguments>``: dbt on Spark, as the refresh runs it when
LEAD_WAREHOUSE_ENGINE=spark (it is dagster-dbt's dbt executable then).

A command that builds (build, run, seed, snapshot, test) starts the Spark session with our UDFs, copies
the run's raw tables in (the DuckDB file dbt would use: the loader checked and quarantined them
there), gives this build a folder of its own for its tables, runs dbt in this process (where the
session is), then points the DuckDB file's views at what Spark now holds and removes the folders of
older builds nothing reads (serving_catalog.py). Any other command (parse, --version) is plain dbt.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from spark_engine.raw_copy import copy_raw_tables
from spark_engine.serving_catalog import (
    folders_in_use,
    remove_unused_runs,
    runs_dir,
    spark_tables,
    write_catalog,
)
from spark_engine.session import DEFAULT_DRIVER_MEMORY, DRIVER_MEMORY_VARIABLE, start_session
from warehouse_core import settings

_BUILDING = {"build", "run", "seed", "snapshot", "test"}
# dbt_project.yml gives every Spark table this folder (dbt config location_root).
LOCATION_ROOT_VARIABLE = "LEAD_WAREHOUSE_SPARK_LOCATION_ROOT"
_DBT = str(Path(sys.executable).with_name("dbt"))


def _say(message: str) -> None:
    # stdout carries dbt's JSON log lines to dagster-dbt; our lines go to stderr.
    print(f"Spark: {message}", file=sys.stderr, flush=True)


def duckdb_file() -> Path:
    """The DuckDB file of this run: its build file in a refresh, else the warehouse."""
    return Path(os.environ.get(settings.DBT_DATABASE_VARIABLE) or settings.warehouse_path())


def build_on_spark(arguments: list[str]) -> bool:
    from dbt.cli.main import dbtRunner

    spark = start_session()
    database = duckdb_file()
    copied = copy_raw_tables(spark, database)
    _say(f"copied {len(copied)} raw tables ({sum(copied.values()):,} rows) from {database.name}")
    run = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    location = runs_dir(settings.spark_warehouse_dir()) / run
    os.environ[LOCATION_ROOT_VARIABLE] = str(location)
    result = dbtRunner().invoke(arguments)
    tables = spark_tables(spark)
    views = write_catalog(database, tables)
    removed = remove_unused_runs(
        settings.spark_warehouse_dir(), folders_in_use(tables, settings.published_warehouse_file()), run
    )
    _say(f"{views} tables readable through {database.name}; {len(removed)} older build folders removed")
    if not result.success:
        memory = os.environ.get(DRIVER_MEMORY_VARIABLE, DEFAULT_DRIVER_MEMORY)
        _say(
            "dbt did not finish: the log above names the node and the reason. If Spark ran out of memory "
            f"('Could not allocate memory', OutOfMemoryError), raise {DRIVER_MEMORY_VARIABLE} (now {memory})."
        )
    return result.success


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not _BUILDING.intersection(arguments):
        os.execv(_DBT, [_DBT, *arguments])
    return 0 if build_on_spark(arguments) else 1


if __name__ == "__main__":
    sys.exit(main())
