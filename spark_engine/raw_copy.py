"""The raw tables on Spark: the loader checks, quarantines and logs every export in its DuckDB file
(export_loader/), and this copies the result, table by table with its column types, into Spark's
`raw` database, so that both engines build from the same raw rows."""

import duckdb

from warehouse_core.sql_text import quote_identifier


def copy_raw_tables(spark, duckdb_file) -> dict[str, int]:
    """Replace every raw table on Spark with the DuckDB file's; rows per table."""
    from pyspark.sql.pandas.types import from_arrow_schema

    spark.sql("create database if not exists raw")
    copied = {}
    with duckdb.connect(str(duckdb_file), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
            ).fetchall()
        ]
        for table in tables:
            rows = connection.sql(f"select * from raw.{quote_identifier(table)}").to_arrow_table()
            # The schema comes from DuckDB's types, so an empty table (no quarantine yet) is typed too.
            frame = spark.createDataFrame(rows, schema=from_arrow_schema(rows.schema))
            frame.write.mode("overwrite").format("parquet").saveAsTable(f"raw.`{table}`")
            copied[table] = rows.num_rows
    return copied
