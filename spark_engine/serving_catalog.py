"""What Spark built, readable through the run's DuckDB file: one view per Spark table over its Parquet
files. With LEAD_WAREHOUSE_ENGINE=spark the DuckDB file holds the loader's raw tables, the evaluation's
tables and these views, so that the evaluation, the dashboard, the summary and BI tools read the
marts as they do on DuckDB, and publishing the file (export_loader/publish.py) publishes them.

Each build writes its tables to a folder of its own (dbt config location_root), so the published
views keep reading the last good build while the next one runs; folders no table or published view
names any more are removed after a build."""

import re
import shutil
from pathlib import Path

import duckdb

from warehouse_core.sql_text import quote_identifier, quote_literal

# The dbt schemas (generate_schema_name); raw stays the loader's own tables in the DuckDB file.
BUILT_SCHEMAS = ("staging", "intermediate", "marts", "seeds", "snapshots")
_SPARK_TO_DUCKDB = {
    "string": "varchar",
    "boolean": "boolean",
    "tinyint": "tinyint",
    "smallint": "smallint",
    "int": "integer",
    "bigint": "bigint",
    "float": "float",
    "double": "double",
    "date": "date",
    "timestamp": "timestamp",
    "timestamp_ntz": "timestamp",
}
_RUN_FOLDER = re.compile(r"/runs/([^/']+)/")


def runs_dir(warehouse_dir: Path) -> Path:
    return warehouse_dir / "runs"


def _local_path(location: str) -> str:
    """DuckDB's name of a table location (file:/x -> /x; s3a://b/x -> s3://b/x, read with httpfs)."""
    if location.startswith("file:"):
        return "/" + location.removeprefix("file:").lstrip("/")
    return re.sub(r"^s3a?://", "s3://", location)


def _duckdb_type(spark_type: str) -> str:
    if spark_type.startswith("decimal"):
        return spark_type
    return _SPARK_TO_DUCKDB.get(spark_type, "varchar")


def spark_tables(spark) -> list[dict]:
    """Every table dbt built on Spark: schema, name, location, and columns with their Spark types."""
    tables = []
    existing = {row.namespace for row in spark.sql("show databases").collect()}
    for schema in (schema for schema in BUILT_SCHEMAS if schema in existing):
        for table in spark.catalog.listTables(schema):
            if table.tableType == "VIEW" or table.isTemporary:
                continue
            qualified = f"`{schema}`.`{table.name}`"
            described = spark.sql(f"describe table extended {qualified}").collect()
            details = {row.col_name: row.data_type for row in described}
            columns = [(field.name, field.dataType.simpleString()) for field in spark.table(qualified).schema]
            tables.append(
                {"schema": schema, "name": table.name, "location": details["Location"], "columns": columns}
            )
    return tables


def _view_sql(table: dict) -> str:
    folder = Path(_local_path(table["location"]))
    if folder.is_absolute() and not any(folder.rglob("*.parquet")):
        # An empty table may have no Parquet file at all: a typed empty view.
        typed = ", ".join(
            f"cast(null as {_duckdb_type(kind)}) as {quote_identifier(name)}"
            for name, kind in table["columns"]
        )
        return f"select {typed} where false"
    files = quote_literal(f"{_local_path(table['location'])}/**/*.parquet")
    names = ", ".join(quote_identifier(name) for name, _ in table["columns"])
    return f"select {names} from read_parquet({files}, hive_partitioning = true)"


def write_catalog(duckdb_file: Path, tables: list[dict]) -> int:
    """Point the DuckDB file's views at the tables Spark holds now. A DuckDB table of the same name (a
    build on the other engine) gives way; the evaluation's own tables stay; views of tables Spark no
    longer has are dropped. Returns the number of views."""
    with duckdb.connect(str(duckdb_file)) as connection:
        present = connection.execute(
            "select schema_name, view_name, sql from duckdb_views() where not internal "
            "and schema_name in (select unnest($schemas))",
            {"schemas": list(BUILT_SCHEMAS)},
        ).fetchall()
        ours = {(schema, name) for schema, name, sql in present if _RUN_FOLDER.search(sql or "")}
        wanted = {(table["schema"], table["name"]) for table in tables}
        duckdb_tables = {
            (schema, name)
            for schema, name in connection.execute(
                "select schema_name, table_name from duckdb_tables() "
                "where schema_name in (select unnest($schemas))",
                {"schemas": list(BUILT_SCHEMAS)},
            ).fetchall()
        }
        connection.execute("begin transaction")
        for schema, name in ours - wanted:
            connection.execute(f"drop view {quote_identifier(schema)}.{quote_identifier(name)}")
        for schema, name in duckdb_tables & wanted:
            connection.execute(f"drop table {quote_identifier(schema)}.{quote_identifier(name)}")
        for table in tables:
            relation = f"{quote_identifier(table['schema'])}.{quote_identifier(table['name'])}"
            connection.execute(f"create schema if not exists {quote_identifier(table['schema'])}")
            connection.execute(f"create or replace view {relation} as {_view_sql(table)}")
        connection.execute("commit")
    return len(tables)


def folders_in_use(tables: list[dict], published_file: Path) -> set[str]:
    """The run folders Spark's tables and the published file's views read."""
    used = {match for table in tables for match in _RUN_FOLDER.findall(_local_path(table["location"]) + "/")}
    if published_file.exists():
        with duckdb.connect(str(published_file), read_only=True) as connection:
            for (sql,) in connection.execute("select sql from duckdb_views() where not internal").fetchall():
                used.update(_RUN_FOLDER.findall(sql or ""))
    return used


def remove_unused_runs(warehouse_dir: Path, in_use: set[str], current: str) -> list[str]:
    """Delete the run folders of earlier builds that nothing reads any more; their names."""
    folder = runs_dir(warehouse_dir)
    removed = []
    for run in sorted(folder.iterdir()) if folder.exists() else []:
        if run.name not in in_use and run.name != current:
            shutil.rmtree(run, ignore_errors=True)
            removed.append(run.name)
    return removed
