"""The same warehouse on Spark: the test build's raw tables, copied into a local Spark session, give
through the same dbt project (`dbt build`: seeds, models, the snapshot, data tests, unit tests) exactly
the marts DuckDB built - scores to the cent, component lines, funnel, SLA hours, KPIs - and the DuckDB
file of the Spark build serves them through views of Spark's Parquet files."""

import os
import shutil
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


def _build_on_spark(duckdb_file, folder, *dbt_arguments) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "spark_engine",
            "--duckdb",
            str(duckdb_file),
            "--as-of",
            SAMPLE_AS_OF.isoformat(),
            "--target-path",
            str(folder / "target"),
            *dbt_arguments,
        ],
        cwd=REPOSITORY_ROOT,
        env={**os.environ, "LEAD_WAREHOUSE_SPARK_WAREHOUSE_DIR": str(folder / "warehouse")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    assert " ERROR=0 " in completed.stdout and " SKIP=0 " in completed.stdout, completed.stdout[-2000:]
    assert "Spark: copied" in completed.stderr
    return completed


@pytest.fixture(scope="module")
def spark_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="module")
def spark_warehouse(java, built_warehouse, spark_folder):
    """A copy of the test warehouse whose dbt schemas were rebuilt on Spark (dbt build: seeds, models,
    the snapshot, data tests and unit tests): after it, its staging, intermediate, marts, seeds and
    snapshots are views of Spark's tables."""
    copy = spark_folder / "warehouse.duckdb"
    shutil.copy(built_warehouse, copy)
    _build_on_spark(copy, spark_folder)
    return copy


@pytest.fixture
def both(built_warehouse, spark_warehouse):
    """The DuckDB build, with the Spark build attached as `spark`."""
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"attach '{spark_warehouse}' as spark (read_only)")
        yield connection


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
def test_spark_builds_the_same_mart_as_duckdb(both, mart):
    types = dict(
        both.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() and table_schema = 'marts' and table_name = ? "
            "order by ordinal_position",
            [mart],
        ).fetchall()
    )
    on_spark = f"spark.marts.{mart}"
    spark_columns = [row[0] for row in both.execute(f"describe select * from {on_spark}").fetchall()]
    assert sorted(spark_columns) == sorted(types), mart
    duck_rows = _comparable(both, f"marts.{mart}", types)
    spark_rows = _comparable(both, on_spark, types)
    [(rows,)] = both.execute(f"select count(*) from marts.{mart}").fetchall()
    [(only_duckdb,)] = both.execute(f"select count(*) from ({duck_rows} except all {spark_rows})").fetchall()
    [(only_spark,)] = both.execute(f"select count(*) from ({spark_rows} except all {duck_rows})").fetchall()
    assert rows > 0 or mart == "mart_handoff_alerts"
    assert (only_duckdb, only_spark) == (0, 0), f"{mart}: {only_duckdb} of {rows} rows differ"


def test_every_relation_dbt_built_is_served_from_spark_with_the_same_rows(both):
    """What the summary, the dashboard and the evaluation read: every relation of the dbt schemas, in
    the DuckDB file of the Spark build, with DuckDB's row count (a view over Spark's Parquet files)."""
    relations = both.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_catalog = current_database() "
        "and table_schema in ('staging', 'intermediate', 'marts', 'seeds', 'snapshots') "
        "and table_name not like '\\_%' escape '\\' order by 1, 2"
    ).fetchall()
    served = dict(
        ((schema, name), kind)
        for schema, name, kind in both.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = 'spark'"
        ).fetchall()
    )
    types_on_spark = {
        (schema, name, column): kind
        for schema, name, column, kind in both.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = 'spark'"
        ).fetchall()
    }
    # A double on DuckDB must not be a decimal on Spark: Python readers would get Decimal objects.
    decimals_for_doubles = [
        f"{schema}.{name}.{column}: {types_on_spark.get((schema, name, column))}"
        for schema, name, column, kind in both.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() and data_type = 'DOUBLE'"
        ).fetchall()
        if (types_on_spark.get((schema, name, column)) or "").startswith("DECIMAL")
    ]
    assert not decimals_for_doubles, decimals_for_doubles
    differing = []
    for schema, name, _ in relations:
        [(rows,)] = both.execute(f'select count(*) from "{schema}"."{name}"').fetchall()
        [(on_spark,)] = both.execute(f'select count(*) from spark."{schema}"."{name}"').fetchall()
        if rows != on_spark:
            differing.append(f"{schema}.{name}: {rows} on DuckDB, {on_spark} on Spark")
    assert len(relations) > 60
    assert not differing, differing
    # dbt's relations are views of Spark's tables; the evaluation's own tables stay tables.
    assert served[("marts", "fct_lead_scores")] == "VIEW"
    assert served[("snapshots", "snap_crm__accounts")] == "VIEW"


def _run_folders(database) -> set[str]:
    with duckdb.connect(str(database), read_only=True) as connection:
        views = connection.execute("select sql from duckdb_views() where schema_name = 'marts'").fetchall()
    return {sql.split("/runs/")[1].split("/")[0] for (sql,) in views if "/runs/" in sql}


def test_a_second_build_keeps_history_and_snapshots_the_change(spark_warehouse, spark_folder):
    """The next refresh on the same Spark tables, after one account's head count changed: every test
    passes again (each moment scored once: scores of the first build are not reused from tables Spark
    rebuilt), the snapshot closes the account's old version and opens the new one, the marts are
    read from the new build's folder, and the first build's folder stays while tables still live
    there (the snapshot, the score history)."""
    first_folders = _run_folders(spark_warehouse)
    with duckdb.connect(str(spark_warehouse)) as connection:
        [(account,)] = connection.execute("select min(account_id) from raw.crm_accounts").fetchall()
        connection.execute("update raw.crm_accounts set employees = '99999' where account_id = ?", [account])
    _build_on_spark(spark_warehouse, spark_folder, "build", "--exclude-resource-type", "unit_test")
    with duckdb.connect(str(spark_warehouse), read_only=True) as connection:
        versions = connection.execute(
            "select employee_count, dbt_valid_to is null from snapshots.snap_crm__accounts "
            "where account_id = ? order by dbt_valid_from",
            [account],
        ).fetchall()
        [(days,)] = connection.execute(
            "select count(distinct scored_as_of) from marts.fct_lead_scores_daily"
        ).fetchall()
    assert len(versions) == 2 and versions[0][1] is False and versions[1] == (99999, True)
    assert days == 1
    second_folders = _run_folders(spark_warehouse)
    assert len(first_folders) == 1 and len(second_folders) == 2 and first_folders < second_folders
    assert sorted(path.name for path in (spark_folder / "warehouse" / "runs").iterdir()) == sorted(
        second_folders
    )
