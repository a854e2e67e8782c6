"""The loader's bookkeeping tables in ``raw``: the file log, the quarantine, and each raw table's columns."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from export_loader.export_readers import STAGED, StagedExport
from export_loader.profiles import ExportSpec
from export_loader.raw_exports import PARSED_TYPES, RawExport, parsed_column
from export_loader.raw_validation import MAPPED, PROBLEMS
from warehouse_core.sql_text import quote_identifier

FILE_LOADS = "raw._file_loads"
QUARANTINE = "raw._quarantine"


@dataclass(frozen=True)
class FileLoad:
    """One file's load: rows read = rows loaded + rows quarantined + rows not selected (by the profile's
    rows_where, or with nothing to stack). A loaded row may make several raw records (a stack)."""

    source_file: Path
    export_name: str
    sha256: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    skipped: bool
    encoding: str = "utf-8"
    rows_not_selected: int = 0
    records_loaded: int = 0
    note: str = ""  # what the user should know about this load (a date that stood in, ...)


LINEAGE = {
    "_source_file": "varchar",
    "_file_sha256": "varchar",
    "_line_number": "bigint",
    "_loaded_at": "timestamp",
}


def ensure_tables(connection: duckdb.DuckDBPyConnection, export: RawExport, extra: list[str]) -> None:
    connection.execute("create schema if not exists raw")
    connection.execute(
        f"create table if not exists {FILE_LOADS} (table_name varchar, export_name varchar, "
        "source_file varchar, sha256 varchar, encoding varchar, rows_read bigint, rows_loaded bigint, "
        "rows_quarantined bigint, status varchar, loaded_at timestamp)"
    )
    for column in ("rows_not_selected", "records_loaded"):
        connection.execute(f"alter table {FILE_LOADS} add column if not exists {column} bigint")
    connection.execute(
        f"create table if not exists {QUARANTINE} (table_name varchar, export_name varchar, "
        "source_file varchar, file_sha256 varchar, line_number bigint, column_name varchar, reason varchar, "
        "original_text varchar, file_refused boolean, loaded_at timestamp)"
    )
    table = f"raw.{quote_identifier(export.table)}"
    columns = list(dict.fromkeys([*export.column_names, *extra]))
    typed = {
        **{parsed_column(column): PARSED_TYPES[kind] for column, kind in export.parsed_columns.items()},
        **LINEAGE,
    }
    definition = ", ".join(
        [
            *(f"{quote_identifier(c)} varchar" for c in columns),
            *(f"{quote_identifier(c)} {kind}" for c, kind in typed.items()),
        ]
    )
    connection.execute(f"create table if not exists {table} ({definition})")
    for column in columns:
        connection.execute(f"alter table {table} add column if not exists {quote_identifier(column)} varchar")
    for column, kind in typed.items():
        connection.execute(f"alter table {table} add column if not exists {quote_identifier(column)} {kind}")


def already_loaded(connection, export_name: str, sha256: str) -> tuple | None:
    rows = connection.execute(
        f"select rows_read, rows_loaded, rows_quarantined, encoding, rows_not_selected, records_loaded "
        f"from {FILE_LOADS} "
        "where export_name = $export and sha256 = $sha256 and status = 'loaded' limit 1",
        {"export": export_name, "sha256": sha256},
    ).fetchall()
    return rows[0] if rows else None


def write_quarantine(
    connection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    sha256: str,
    staged: StagedExport,
    refusal: str | None,
    loaded_at: datetime,
) -> None:
    """One quarantine row per bad line, all its problems in the reason (``column: problem; ...``).
    With a ``refusal``, the file's other selected lines are held back too, with that reason."""
    headers = ", ".join(f"{quote_identifier(h)} := {quote_identifier(h)}" for h in staged.headers)
    original = f"to_json(struct_pack({headers}))" if headers else "'{}'"
    common = {
        "table": export.table,
        "export": spec.name,
        "file": path.name,
        "sha256": sha256,
        "refused": refusal is not None,
        "loaded_at": loaded_at,
    }
    held_back = (
        f"union all select distinct _line_number, null, $refusal from {MAPPED} "
        f"where _line_number not in (select line_number from {PROBLEMS})"
        if refusal
        else ""
    )
    connection.execute(
        f"insert into {QUARANTINE} with lines as (select line_number, "
        "string_agg(distinct column_name, ', ' order by column_name) as column_name, "
        "string_agg(distinct column_name || ': ' || reason, '; ' order by column_name || ': ' || reason) "
        f"as reason from {PROBLEMS} group by line_number {held_back}) "
        "select $table, $export, $file, $sha256, lines.line_number, lines.column_name, lines.reason, "
        "originals.original_text, $refused, $loaded_at from lines left join "
        f"(select _line_number, {original} as original_text from {STAGED}) as originals "
        "on lines.line_number = originals._line_number",
        {**common, "refusal": refusal} if refusal else common,
    )
    for line in staged.malformed:
        connection.execute(
            f"insert into {QUARANTINE} values ($table, $export, $file, $sha256, $line, null, $reason, $text, "
            "$refused, $loaded_at)",
            {**common, "line": line.line_number, "reason": line.reason, "text": line.text},
        )


def log_file_load(
    connection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    load: FileLoad,
    status: str,
    loaded_at: datetime,
) -> None:
    connection.execute(
        f"insert into {FILE_LOADS} by name select $table as table_name, $export as export_name, "
        "$file as source_file, $sha256 as sha256, $encoding as encoding, $read as rows_read, "
        "$loaded as rows_loaded, $quarantined as rows_quarantined, $not_selected as rows_not_selected, "
        "$records as records_loaded, $status as status, $at as loaded_at",
        {
            "table": export.table,
            "export": spec.name,
            "file": str(path),
            "sha256": load.sha256,
            "encoding": load.encoding,
            "read": load.rows_read,
            "loaded": load.rows_loaded,
            "quarantined": load.rows_quarantined,
            "not_selected": load.rows_not_selected,
            "records": load.records_loaded,
            "status": status,
            "at": loaded_at,
        },
    )
