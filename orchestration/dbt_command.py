"""The dbt command a refresh runs. No Dagster import here, so scripts (the benchmark) start fast."""

import os
import sys
from pathlib import Path

from warehouse_core import settings

# dbt runs from the same virtual environment as Dagster, whether or not it is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
# On Spark, dbt runs inside the process that starts the session with our UDFs (spark_engine/dbt_cli.py).
SPARK_DBT_EXECUTABLE = str(Path(sys.executable).with_name("lead-warehouse-spark-dbt"))
# Unit tests check the SQL, not the data: CI runs them (make test), and a daily refresh skips their
# fixed cost (about 5 s whatever the data size).
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]


def engine_dbt() -> tuple[str, str]:
    """The dbt executable and target of the engine LEAD_WAREHOUSE_ENGINE selects."""
    if settings.engine() == "spark":
        return SPARK_DBT_EXECUTABLE, "spark"
    return DBT_EXECUTABLE, "duckdb"


def dbt_target_dir(project_dir: Path = settings.DBT_PROJECT_DIR) -> Path:
    """Where dbt writes compiled SQL and run results: DBT_TARGET_PATH when set (relative to the project,
    as dbt reads it; the tests give each worker its own), else the project's target/."""
    return project_dir / os.environ.get("DBT_TARGET_PATH", "target")
