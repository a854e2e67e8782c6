"""The dashboard's one way to the data: read-only queries on the published warehouse.

Every query opens the published file read-only and closes it again, so a refresh that swaps a new
file in (export_loader/publish.py) is never blocked by an open page and is seen by the next query.
Answers are cached per version of the file (inode and modification time): a publish invalidates them.
"""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from warehouse_core.settings import published_warehouse_file


class WarehouseMissingError(RuntimeError):
    """No published warehouse yet: the message says how to build one."""


def _version(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


@st.cache_data(show_spinner=False, max_entries=512)
def _answer(sql: str, parameters: dict, path: str, version: tuple[int, int]) -> pd.DataFrame:
    del version  # part of the cache key only
    with duckdb.connect(path, read_only=True) as connection:
        return connection.execute(sql, parameters).df()


def query(sql: str, parameters: dict | None = None) -> pd.DataFrame:
    path = published_warehouse_file()
    if not path.exists():
        raise WarehouseMissingError(
            f"No warehouse at {path}. Run `make demo` (sample data) or `make refresh LANDING=<your exports>` "
            "first, or set LEAD_WAREHOUSE_DUCKDB_PATH to a published warehouse file."
        )
    return _answer(sql, parameters or {}, str(path), _version(path))


def has_table(schema: str, table: str) -> bool:
    """Tables the evaluation job writes (A/B tests, backtests) exist only once it has run."""
    found = query(
        "select count(*) as n from information_schema.tables "
        "where table_schema = $schema and table_name = $table",
        {"schema": schema, "table": table},
    )
    return bool(found["n"].iloc[0])


def show_table(frame: pd.DataFrame, index: str, precision: int = 1) -> None:
    """A small table as HTML (readable, copyable): numbers with thousands separators and
    ``precision`` decimals (whole numbers without), empty cells as a dash."""
    st.table(frame.set_index(index).style.format(precision=precision, thousands=",", na_rep="–"))
