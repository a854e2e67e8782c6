"""The same warehouse on Spark: the test build's raw tables, copied into a local Spark session, give
through the same dbt project exactly the marts DuckDB built - scores to the cent, component lines,
funnel, SLA hours, KPIs. Spark's tables are Parquet files, which DuckDB reads to compare."""

import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import SAMPLE_AS_OF
from warehouse_core.settings import REPOSITORY_ROOT

MARTS = (
    "fct_lead_scores",
    "fct_lead_score_components",
    "fct_lead_scores_daily",
    "dim_leads",
    "fct_lead_funnel",
    "mart_funnel_conversion",
    "fct_sla_lead_response",
    "mart_sla_compliance_monthly",
    "mart_kpi_monthly",
    "mart_score_band_conversion",
    "mart_handoff_alerts",
)
# Doubles are compared to 6 places: the engines sum floats in different orders.
_INEXACT = ("DOUBLE", "FLOAT", "REAL")


@pytest.fixture(scope="module")
def spark_warehouse(java, built_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "spark_engine",
            "--duckdb",
            str(built_warehouse),
            "--as-of",
            SAMPLE_AS_OF.isoformat(),
            "--target-path",
            str(folder / "target"),
        ],
        cwd=REPOSITORY_ROOT,
        env={**os.environ, "LEAD_WAREHOUSE_SPARK_WAREHOUSE_DIR": str(folder / "warehouse")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    assert "Spark: copied" in completed.stdout
    return folder / "warehouse"


def _comparable(connection, relation: str, types: dict[str, str]) -> str:
    columns = []
    for name, column_type in types.items():
        quoted = f'"{name}"'
        # Cents (DECIMAL(12,2)) compare exactly; other decimals may be doubles on the other engine.
        if column_type.startswith(_INEXACT) or (
            column_type.startswith("DECIMAL") and column_type != "DECIMAL(12,2)"
        ):
            columns.append(f"round(cast({quoted} as double), 6) as {quoted}")
        elif "TIMESTAMP" in column_type:
            columns.append(f"cast({quoted} as timestamp) as {quoted}")
        else:
            columns.append(quoted)
    return f"select {', '.join(columns)} from {relation}"


@pytest.mark.parametrize("mart", MARTS)
def test_spark_builds_the_same_mart_as_duckdb(spark_warehouse, built_warehouse, mart):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        connection.execute("set TimeZone = 'UTC'")
        types = dict(
            connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            ).fetchall()
        )
        on_spark = (
            f"read_parquet('{spark_warehouse / 'marts.db' / mart}/**/*.parquet', hive_partitioning = true)"
        )
        spark_columns = [
            row[0] for row in connection.execute(f"describe select * from {on_spark}").fetchall()
        ]
        assert sorted(spark_columns) == sorted(types), mart
        duck_rows = _comparable(connection, f"marts.{mart}", types)
        spark_rows = _comparable(connection, on_spark, types)
        [(rows,)] = connection.execute(f"select count(*) from marts.{mart}").fetchall()
        [(only_duckdb,)] = connection.execute(
            f"select count(*) from ({duck_rows} except all {spark_rows})"
        ).fetchall()
        [(only_spark,)] = connection.execute(
            f"select count(*) from ({spark_rows} except all {duck_rows})"
        ).fetchall()
    assert rows > 0 or mart == "mart_handoff_alerts"
    assert (only_duckdb, only_spark) == (0, 0), f"{mart}: {only_duckdb} of {rows} rows differ"
