"""A refused export stays explained after the failed run: its file-log entry and every one of its
lines with the reason are copied to the load log, a small DuckDB file beside the warehouse that no run
discards (the run's build file, which has them too, is deleted by the next run).

    load_log.refused_files   one row per refusal: the raw._file_loads columns, reasons, refused_at
    load_log.refused_lines   the raw._quarantine rows of that file: bad lines with their reasons, and
                             the lines that were fine but held back with the file
"""

from pathlib import Path

import duckdb

from export_loader.raw_tables import FILE_LOADS, QUARANTINE
from warehouse_core.sql_text import quote_literal

REFUSED_FILES = "refused_files"
REFUSED_LINES = "refused_lines"


def load_log_for(warehouse: Path) -> Path:
    """``data/warehouse.duckdb`` -> ``data/warehouse.load_log.duckdb``."""
    return warehouse.with_name(f"{warehouse.stem}.load_log{warehouse.suffix}")


def keep_refusal(
    connection: duckdb.DuckDBPyConnection, load_log: Path, sha256: str, export_name: str, reasons: str
) -> None:
    """Copy the refused file's log entry and quarantine rows from the build into ``load_log``."""
    connection.execute(f"attach {quote_literal(str(load_log))} as _load_log")
    try:
        connection.execute(
            f"create table if not exists _load_log.{REFUSED_FILES} as "
            f"select *, '' as reasons, loaded_at as refused_at from {FILE_LOADS} where false"
        )
        connection.execute(
            f"create table if not exists _load_log.{REFUSED_LINES} as select * from {QUARANTINE} where false"
        )
        match = "sha256 = $sha256 and export_name = $export and status = 'refused'"
        # The latest refusal of a file replaces earlier ones: dropping it again changes nothing.
        for table, key in ((REFUSED_FILES, "sha256"), (REFUSED_LINES, "file_sha256")):
            connection.execute(
                f"delete from _load_log.{table} where {key} = $sha256 and export_name = $export",
                {"sha256": sha256, "export": export_name},
            )
        connection.execute(
            f"insert into _load_log.{REFUSED_FILES} by name select *, $reasons as reasons, "
            f"loaded_at as refused_at from {FILE_LOADS} where {match}",
            {"sha256": sha256, "export": export_name, "reasons": reasons},
        )
        connection.execute(
            f"insert into _load_log.{REFUSED_LINES} by name select * from {QUARANTINE} "
            "where file_sha256 = $sha256 and export_name = $export and file_refused",
            {"sha256": sha256, "export": export_name},
        )
    finally:
        connection.execute("detach _load_log")
