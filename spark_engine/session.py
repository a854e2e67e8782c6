"""The Spark session the dbt project runs in, with the UDFs registered.

| variable                              | default                | meaning                               |
|---------------------------------------|------------------------|---------------------------------------|
| LEAD_WAREHOUSE_SPARK_MASTER           | local[2]               | where Spark runs (a cluster's URL)    |
| LEAD_WAREHOUSE_SPARK_WAREHOUSE_DIR    | data/spark-warehouse   | where its tables' Parquet files live  |
| LEAD_WAREHOUSE_SPARK_DRIVER_MEMORY    | 2g                     | the driver's memory (local mode: all) |
"""

import os
import sys

from scoring_udfs.spark_udfs import register_spark_udfs
from warehouse_core.settings import ensure_pii_salt, spark_warehouse_dir

DRIVER_MEMORY_VARIABLE = "LEAD_WAREHOUSE_SPARK_DRIVER_MEMORY"
DEFAULT_DRIVER_MEMORY = "2g"


def start_session():
    """A session (or the running one) whose Python workers run this interpreter with the PII salt, on
    UTC like every *_at column, with the warehouse's UDFs."""
    from pyspark.sql import SparkSession

    location = spark_warehouse_dir()
    ensure_pii_salt(location.parent)  # the DuckDB warehouse's salt when both live in one folder
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(os.environ.get("LEAD_WAREHOUSE_SPARK_MASTER", "local[2]"))
        .appName("lead-warehouse")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(location))
        # The table catalog lives beside the tables (an embedded Derby metastore), not where dbt runs.
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={location}/metastore_db;create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={location}")
        .config("spark.driver.memory", os.environ.get(DRIVER_MEMORY_VARIABLE, DEFAULT_DRIVER_MEMORY))
        .config("spark.sql.shuffle.partitions", "4")
        .enableHiveSupport()
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    register_spark_udfs(session)
    return session
