"""Reading frames from and publishing tables to the warehouse (identifiers quoted, values bound)."""

import duckdb
import pandas as pd

from warehouse_core.sql_text import quote_identifier


def read_frame(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> pd.DataFrame:
    return connection.execute(sql, parameters or []).df()


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = connection.execute(
        "select 1 from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchall()
    return bool(rows)


def replace_table(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    frame: pd.DataFrame,
    column_types: dict[str, str] | None = None,
) -> int:
    """Replace ``schema.table`` with ``frame`` in one transaction: readers see the old or the new table.
    ``column_types`` (column -> SQL type, from our code) fixes types pandas cannot carry: dates, and
    integers or text in columns that may be all null."""
    types = {column: kind for column, kind in (column_types or {}).items() if column in frame.columns}
    replaced = ", ".join(
        f"cast({quote_identifier(column)} as {kind}) as {quote_identifier(column)}"
        for column, kind in types.items()
    )
    select = f"select * replace ({replaced})" if replaced else "select *"
    connection.execute(f"create schema if not exists {quote_identifier(schema)}")
    connection.register("_published_frame", frame)
    try:
        connection.execute("begin transaction")
        connection.execute(
            f"create or replace table {quote_identifier(schema)}.{quote_identifier(table)} "
            f"as {select} from _published_frame"
        )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        connection.unregister("_published_frame")
    return len(frame)
