"""Load one export file into ``raw.<table>`` of the DuckDB warehouse, as text, exactly as exported.

Raw keeps every value as text (typing is staging's job) plus lineage columns: the source file, its
SHA-256 and the load time. A file whose content hash was already loaded into the table is not loaded
again, so dropping the same export twice changes nothing. Each table is replaced in one statement: a
reader sees the old rows or the new ones, never half of each.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.raw_exports import RawExport

SUPPORTED_SUFFIXES = (".csv", ".parquet")
_LOAD_LOG = "raw._load_log"


class ExportError(Exception):
    """An export cannot be loaded; the message says which file, what is wrong and what to do."""


@dataclass(frozen=True)
class LoadResult:
    table: str
    source_file: Path
    sha256: str
    rows: int
    loaded_at: datetime
    skipped: bool
    seconds: float


def column_name(header: str) -> str:
    """The raw column name for an export header: "Dwell Time (sec)" -> "dwell_time_sec"."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def find_export_file(landing: Path, export: RawExport) -> Path:
    candidates = [landing / f"{export.file_stem}{suffix}" for suffix in SUPPORTED_SUFFIXES]
    found = [path for path in candidates if path.is_file()]
    if not found:
        expected = " or ".join(path.name for path in candidates)
        raise ExportError(
            f"No export for raw.{export.table} in {landing}: expected {expected}. "
            "Generate sample exports with `make generate`, or drop your own export there."
        )
    if len(found) > 1:
        raise ExportError(f"Both {found[0].name} and {found[1].name} are in {landing}; keep one of them.")
    return found[0]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reader(path: Path) -> str:
    """A table function reading ``path`` with every column as text; the path is bound as a parameter."""
    if path.suffix == ".parquet":
        return "read_parquet($path)"
    return "read_csv($path, header = true, all_varchar = true, encoding = 'utf-8')"


def _ensure_load_log(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("create schema if not exists raw")
    connection.execute(
        f"create table if not exists {_LOAD_LOG} (table_name varchar, source_file varchar, "
        "sha256 varchar, row_count bigint, loaded_at timestamp)"
    )


def _already_loaded(connection: duckdb.DuckDBPyConnection, table: str, sha256: str) -> tuple | None:
    """The last load of ``table``, if it was this very content."""
    history = connection.execute(
        f"select sha256, row_count, loaded_at from {_LOAD_LOG} where table_name = $table "
        "order by loaded_at desc limit 1",
        {"table": table},
    ).fetchall()
    last = history[0] if history else None
    table_exists = connection.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = $table",
        {"table": table},
    ).fetchall()[0][0]
    return last if last and last[0] == sha256 and table_exists else None


def load_export(connection: duckdb.DuckDBPyConnection, export: RawExport, landing: Path) -> LoadResult:
    """Load the export for ``export`` found in ``landing``; raise ``ExportError`` if it is unusable."""
    started = time.perf_counter()
    path = find_export_file(landing, export)
    sha256 = file_sha256(path)
    _ensure_load_log(connection)
    previous = _already_loaded(connection, export.table, sha256)
    if previous:
        return LoadResult(
            export.table, path, sha256, previous[1], previous[2], True, time.perf_counter() - started
        )

    source = _reader(path)
    try:
        headers = [
            row[0]
            for row in connection.execute(f"describe select * from {source}", {"path": str(path)}).fetchall()
        ]
    except duckdb.Error as error:
        raise ExportError(
            f"Cannot read {path}: {error}. Check that it is a UTF-8 CSV with a header row, or a Parquet file."
        ) from error
    names = [column_name(header) for header in headers]
    missing = [column for column in export.required_columns if column not in names]
    if missing:
        raise ExportError(
            f"{path.name} has no column {', '.join(missing)} (needed for raw.{export.table}). "
            f"Columns found: {', '.join(headers)}."
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ExportError(
            f"{path.name}: several headers map to the same column {', '.join(duplicates)}; rename them."
        )

    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    select_list = ", ".join(
        f"cast({quote_identifier(header)} as varchar) as {quote_identifier(name)}"
        for header, name in zip(headers, names, strict=True)
    )
    table = f"raw.{quote_identifier(export.table)}"
    connection.execute("begin transaction")
    try:
        connection.execute(
            f"create or replace table {table} as select {select_list}, "
            "$file as _source_file, $sha256 as _file_sha256, $loaded_at as _loaded_at "
            f"from {source}",
            {"path": str(path), "file": path.name, "sha256": sha256, "loaded_at": loaded_at},
        )
        rows = connection.execute(f"select count(*) from {table}").fetchall()[0][0]
        connection.execute(
            f"insert into {_LOAD_LOG} values ($table, $file, $sha256, $rows, $loaded_at)",
            {
                "table": export.table,
                "file": str(path),
                "sha256": sha256,
                "rows": rows,
                "loaded_at": loaded_at,
            },
        )
        connection.execute("commit")
    except duckdb.Error as error:
        connection.execute("rollback")
        raise ExportError(f"Loading {path} into raw.{export.table} failed: {error}") from error
    return LoadResult(export.table, path, sha256, rows, loaded_at, False, time.perf_counter() - started)
