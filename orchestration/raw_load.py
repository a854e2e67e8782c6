"""Load export files into ``raw.<table>``: every file once, its rows mapped by its export profile,
checked, and appended; rows that fail a check go to ``raw._quarantine`` with the reason.

- A file is identified by its content (SHA-256): the same file dropped again is skipped, so loading
  twice changes nothing. A new file appends its rows; staging keeps the newest version of each record
  (natural key, last-modified time, load time), so a full export after daily deltas deduplicates and
  a late event arriving in a later file is picked up.
- Rows read = rows loaded + rows quarantined, for every file (``raw._file_loads``). Above the share of
  bad rows allowed (LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE, 5% by default) the file is refused: nothing of
  it reaches raw, its problems are in the quarantine for inspection, and the load fails saying why.
- A file that cannot be read, or lacks a required column, stops the load with an error naming the
  file, the column and the columns that were found. A file's rows, quarantine and log entry are
  written in one transaction.
- Headers and values never become SQL: identifiers are quoted and values are bound parameters.
"""

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from orchestration import settings
from orchestration.export_readers import STAGED, ExportReadError, StagedExport, stage_export
from orchestration.profiles import ExportSpec, load_profiles
from orchestration.raw_exports import RawExport
from orchestration.raw_validation import MAPPED, PROBLEMS, find_problems

FILE_LOADS = "raw._file_loads"
QUARANTINE = "raw._quarantine"
MAX_BAD_ROW_SHARE_VARIABLE = "LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE"
DEFAULT_MAX_BAD_ROW_SHARE = 0.05
LINEAGE = {
    "_source_file": "varchar",
    "_file_sha256": "varchar",
    "_line_number": "bigint",
    "_loaded_at": "timestamp",
}
# dbt vars naming the custom CRM columns staging carries, per raw table.
CUSTOM_ATTRIBUTE_VARS = {"crm_leads": "custom_lead_attributes", "crm_accounts": "custom_account_attributes"}


class ExportError(Exception):
    """An export cannot be loaded; the message says which file, what is wrong and what to do."""


@dataclass(frozen=True)
class FileLoad:
    source_file: Path
    export_name: str
    sha256: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    skipped: bool
    encoding: str = "utf-8"


@dataclass
class LoadResult:
    table: str
    files: list[FileLoad] = field(default_factory=list)
    seconds: float = 0.0
    note: str | None = None

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files if not f.skipped)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files if not f.skipped)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files if not f.skipped)

    @property
    def skipped(self) -> bool:
        return all(f.skipped for f in self.files)


def column_name(header: str) -> str:
    """The raw column name for an export header: "Dwell Time (sec)" -> "dwell_time_sec"."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def max_bad_row_share() -> float:
    return float(os.environ.get(MAX_BAD_ROW_SHARE_VARIABLE) or DEFAULT_MAX_BAD_ROW_SHARE)


def dbt_vars() -> dict:
    """The vars of dbt_project.yml: the loader and staging read timestamps and custom columns alike."""
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]["lead_warehouse"]


def matching_files(landing: Path, specs: list[ExportSpec]) -> list[tuple[Path, ExportSpec]]:
    """Files of the landing folder each export spec matches, in name order (oldest delta first)."""
    matches = []
    for path in sorted(p for p in landing.iterdir() if p.is_file() and not p.name.startswith(".")):
        specs_for_file = [spec for spec in specs if spec.matches(path)]
        targets = [spec.target for spec in specs_for_file]
        duplicated = {t for t in targets if targets.count(t) > 1}
        if duplicated:
            names = ", ".join(spec.name for spec in specs_for_file if spec.target in duplicated)
            raise ExportError(
                f"{path.name} matches several export profiles for the same table ({names}); "
                "make their file_pattern values distinct."
            )
        matches.extend((path, spec) for spec in specs_for_file)
    return matches


def _ensure_tables(connection: duckdb.DuckDBPyConnection, export: RawExport, extra: list[str]) -> None:
    connection.execute("create schema if not exists raw")
    connection.execute(
        f"create table if not exists {FILE_LOADS} (table_name varchar, export_name varchar, "
        "source_file varchar, sha256 varchar, encoding varchar, rows_read bigint, rows_loaded bigint, "
        "rows_quarantined bigint, status varchar, loaded_at timestamp)"
    )
    connection.execute(
        f"create table if not exists {QUARANTINE} (table_name varchar, export_name varchar, "
        "source_file varchar, file_sha256 varchar, line_number bigint, column_name varchar, reason varchar, "
        "original_text varchar, file_refused boolean, loaded_at timestamp)"
    )
    table = f"raw.{quote_identifier(export.table)}"
    columns = list(dict.fromkeys([*export.column_names, *extra]))
    definition = ", ".join(
        [
            *(f"{quote_identifier(c)} varchar" for c in columns),
            *(f"{c} {kind}" for c, kind in LINEAGE.items()),
        ]
    )
    connection.execute(f"create table if not exists {table} ({definition})")
    for column in columns:
        connection.execute(f"alter table {table} add column if not exists {quote_identifier(column)} varchar")
    for column, kind in LINEAGE.items():
        connection.execute(f"alter table {table} add column if not exists {column} {kind}")


class _Params:
    """Bound parameters for a generated statement: values never become SQL text."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def bind(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def _resolve(headers: list[str], wanted: str | list[str]) -> str | None:
    by_key = {header.strip().lower(): header for header in headers}
    for candidate in [wanted] if isinstance(wanted, str) else wanted:
        if candidate.strip().lower() in by_key:
            return by_key[candidate.strip().lower()]
    return None


def _column_sources(spec: ExportSpec, staged: StagedExport, export: RawExport, path: Path) -> dict[str, str]:
    """raw column -> export header (all mapped and custom columns present in the file)."""
    if spec.columns == "snake_case":
        sources = {column_name(header): header for header in staged.headers}
        duplicated = sorted(
            {
                column_name(h)
                for h in staged.headers
                if list(map(column_name, staged.headers)).count(column_name(h)) > 1
            }
        )
        if duplicated:
            raise ExportError(
                f"{path.name}: several headers map to the same column {', '.join(duplicated)}; rename them."
            )
    else:
        sources = {}
        for column, wanted in {**spec.columns, **spec.custom_attributes}.items():
            header = _resolve(staged.headers, wanted)
            if header is not None:
                sources[column] = header
    stacked = set(spec.stack.into) if spec.stack else set()
    missing = [
        c
        for c in export.required_columns
        if c not in sources and c not in spec.constants and c not in stacked
    ]
    if missing:
        raise ExportError(
            f"{path.name} has no column {', '.join(missing)} (needed for raw.{export.table}, export profile "
            f"{spec.name}). Columns found: {', '.join(staged.headers)}."
        )
    return sources


def _value_expression(
    column: str, header: str | None, spec: ExportSpec, export: RawExport, params: _Params
) -> str:
    if header is None:
        return params.bind(spec.constants[column]) if column in spec.constants else "cast(null as varchar)"
    value = f"cast({quote_identifier(header)} as varchar)"
    value = (
        f"case when list_contains({params.bind(spec.null_values)}, trim({value})) then null else {value} end"
    )
    if column in spec.first_of_list:
        value = f"nullif(trim(split_part({value}, {params.bind(spec.first_of_list[column])}, 1)), '')"
    if column in spec.values:
        mapping = spec.values[column]
        lookup = f"map({params.bind(list(mapping))}, {params.bind(list(mapping.values()))})"
        value = f"coalesce({lookup}[trim({value})], {value})"
    kind = {c.name: c.kind for c in export.columns}.get(column)
    if spec.timestamp_formats and kind in ("event_time", "timestamp", "date"):
        # Written back as Japan time, the form staging reads; a calendar date is not shifted.
        parsed = f"try_strptime(trim({value}), {params.bind(spec.timestamp_formats)})"
        if kind == "date":
            value = f"coalesce(strftime({parsed}, '%Y-%m-%d'), {value})"
        else:
            shift_minutes = round((9 - spec.utc_offset_hours) * 60)
            value = (
                f"coalesce(strftime({parsed} + to_minutes({params.bind(shift_minutes)}), "
                f"'%Y-%m-%d %H:%M:%S'), {value})"
            )
    return value


def _create_mapped(
    connection,
    spec: ExportSpec,
    export: RawExport,
    staged: StagedExport,
    sources: dict[str, str],
    columns: list[str],
) -> None:
    """``_mapped_export``: the file's rows as raw columns, with _line_number (a stack spec makes one
    row per filled stacked column)."""
    params = _Params()
    stacked = spec.stack.into if spec.stack else ()
    base = {
        c: _value_expression(c, sources.get(c), spec, export, params) for c in columns if c not in stacked
    }
    rows = [base]
    if spec.stack:
        name_column, value_column = spec.stack.into
        rows = [
            {
                **base,
                name_column: params.bind(name),
                value_column: _value_expression(value_column, header, spec, export, params),
            }
            for name, wanted in spec.stack.from_.items()
            if (header := _resolve(staged.headers, wanted)) is not None
        ]
        if not rows:
            raise ExportError(f"Export profile {spec.name}: none of its stacked columns is in the file.")
    kept_rows = []
    for column, kept in spec.rows_where.items():
        if column not in sources:
            raise ExportError(f"Export profile {spec.name}: rows_where column {column} is not in the file.")
        header = quote_identifier(sources[column])
        kept_rows.append(f"trim(cast({header} as varchar)) in (select unnest({params.bind(kept)}))")
    source = f"{STAGED} where {' and '.join(kept_rows)}" if kept_rows else STAGED
    selects = [
        f"select * from (select {', '.join(f'{e} as {quote_identifier(c)}' for c, e in row.items())}, "
        f"_line_number from {source})"
        + (f" where {quote_identifier(spec.stack.into[1])} is not null" if spec.stack else "")
        for row in rows
    ]
    connection.execute(
        f"create or replace temp table {MAPPED} as {' union all '.join(selects)}", params.values
    )


def _already_loaded(connection, export_name: str, sha256: str) -> tuple | None:
    rows = connection.execute(
        f"select rows_read, rows_loaded, rows_quarantined, encoding from {FILE_LOADS} "
        "where export_name = $export and sha256 = $sha256 and status = 'loaded' limit 1",
        {"export": export_name, "sha256": sha256},
    ).fetchall()
    return rows[0] if rows else None


def _quarantine(
    connection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    sha256: str,
    staged: StagedExport,
    refused: bool,
    loaded_at: datetime,
) -> None:
    headers = ", ".join(f"{quote_identifier(h)} := {quote_identifier(h)}" for h in staged.headers)
    original = f"to_json(struct_pack({headers}))" if headers else "'{}'"
    common = {
        "table": export.table,
        "export": spec.name,
        "file": path.name,
        "sha256": sha256,
        "refused": refused,
        "loaded_at": loaded_at,
    }
    connection.execute(
        f"insert into {QUARANTINE} select $table, $export, $file, $sha256, problems.line_number, "
        f"problems.column_name, problems.reason, originals.original_text, $refused, $loaded_at "
        f"from {PROBLEMS} as problems left join "
        f"(select _line_number, {original} as original_text from {STAGED}) as originals "
        "on problems.line_number = originals._line_number",
        common,
    )
    for line in staged.malformed:
        connection.execute(
            f"insert into {QUARANTINE} values ($table, $export, $file, $sha256, $line, null, $reason, $text, "
            "$refused, $loaded_at)",
            {**common, "line": line.line_number, "reason": line.reason, "text": line.text},
        )


def _log(
    connection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    load: FileLoad,
    status: str,
    loaded_at: datetime,
) -> None:
    connection.execute(
        f"insert into {FILE_LOADS} values ($table, $export, $file, $sha256, $encoding, $read, $loaded, "
        "$quarantined, $status, $at)",
        {
            "table": export.table,
            "export": spec.name,
            "file": str(path),
            "sha256": load.sha256,
            "encoding": load.encoding,
            "read": load.rows_read,
            "loaded": load.rows_loaded,
            "quarantined": load.rows_quarantined,
            "status": status,
            "at": loaded_at,
        },
    )


def load_file(
    connection: duckdb.DuckDBPyConnection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    project_vars: dict,
    max_bad_share: float,
) -> FileLoad:
    """Load one file through its export spec (see the module docstring)."""
    sha256 = file_sha256(path)
    custom = list(project_vars.get(CUSTOM_ATTRIBUTE_VARS.get(export.table, ""), []))
    _ensure_tables(connection, export, [*custom, *spec.custom_attributes])
    previous = _already_loaded(connection, spec.name, sha256)
    if previous:
        return FileLoad(path, spec.name, sha256, previous[0], previous[1], previous[2], True, previous[3])
    try:
        staged = stage_export(connection, path, spec)
    except ExportReadError as error:
        raise ExportError(str(error)) from error
    sources = _column_sources(spec, staged, export, path)
    extra = [c for c in sources if c not in export.column_names]
    _ensure_tables(connection, export, extra)
    columns = [*export.column_names, *[c for c in [*custom, *extra] if c not in export.column_names]]
    columns = list(dict.fromkeys(columns))
    _create_mapped(connection, spec, export, staged, sources, columns)
    # A profile's dates were rewritten in our form above; otherwise staging's formats (dbt vars) apply.
    if spec.timestamp_formats:
        timestamp_formats, date_formats = ["%Y-%m-%d %H:%M:%S"], ["%Y-%m-%d"]
    else:
        timestamp_formats = list(project_vars["export_timestamp_formats"])
        date_formats = list(project_vars["export_date_formats"])
    find_problems(connection, export, columns, timestamp_formats, date_formats)
    mapped_rows = connection.execute(f"select count(*) from {MAPPED}").fetchall()[0][0]
    bad_lines = connection.execute(f"select count(distinct line_number) from {PROBLEMS}").fetchall()[0][0]
    bad_rows = connection.execute(
        f"select count(*) from {MAPPED} where _line_number in (select line_number from {PROBLEMS})"
    ).fetchall()[0][0]
    rows_read = staged.rows + len(staged.malformed)
    quarantined_lines = bad_lines + len(staged.malformed)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    refused = rows_read > 0 and quarantined_lines / rows_read > max_bad_share
    load = FileLoad(
        path,
        spec.name,
        sha256,
        rows_read,
        0 if refused else mapped_rows - bad_rows,
        quarantined_lines,
        False,
        staged.encoding,
    )
    connection.execute("begin transaction")
    try:
        _quarantine(connection, export, spec, path, sha256, staged, refused, loaded_at)
        if not refused:
            lineage = "$file as _source_file, $sha256 as _file_sha256, _line_number, $loaded_at as _loaded_at"
            connection.execute(
                f"insert into raw.{quote_identifier(export.table)} by name select "
                f"{', '.join(quote_identifier(c) for c in columns)}, {lineage} from {MAPPED} "
                f"where _line_number not in (select line_number from {PROBLEMS})",
                {"file": path.name, "sha256": sha256, "loaded_at": loaded_at},
            )
        _log(connection, export, spec, path, load, "refused" if refused else "loaded", loaded_at)
        connection.execute("commit")
    except duckdb.Error as error:
        connection.execute("rollback")
        raise ExportError(f"Loading {path} into raw.{export.table} failed: {error}") from error
    if refused:
        reasons = connection.execute(
            f"select reason, count(distinct line_number) from {PROBLEMS} group by 1 order by 2 desc limit 5"
        ).fetchall()
        summary = "; ".join(f"{reason}: {count:,} rows" for reason, count in reasons)
        if staged.malformed:
            summary += f"; malformed lines: {len(staged.malformed):,}"
        raise ExportError(
            f"{path.name} refused: {quarantined_lines:,} of {rows_read:,} rows fail checks "
            f"({quarantined_lines / rows_read:.1%}, more than the {max_bad_share:.0%} allowed by "
            f"{MAX_BAD_ROW_SHARE_VARIABLE}). {summary}. Nothing of it was loaded; the failing rows are in "
            f"{QUARANTINE} (file_refused = true). Fix the export or its profile and drop it again."
        )
    return load


def load_export(
    connection: duckdb.DuckDBPyConnection,
    export: RawExport,
    landing: Path,
    specs: list[ExportSpec] | None = None,
) -> LoadResult:
    """Load every new file of ``landing`` that an export profile maps onto ``raw.<export.table>``."""
    started = time.perf_counter()
    specs = [
        spec for spec in (specs or load_profiles(settings.profiles_dir())) if spec.target == export.table
    ]
    files = matching_files(landing, specs)
    project_vars, share = dbt_vars(), max_bad_row_share()
    result = LoadResult(export.table)
    if not files:
        # Not every team has every export (a HubSpot-only team has no MA activity log): the table
        # exists, empty until a file arrives, and the note says what file would fill it.
        patterns = (
            ", ".join(sorted({spec.file_pattern for spec in specs})) or "(no export profile targets it)"
        )
        _ensure_tables(
            connection, export, list(project_vars.get(CUSTOM_ATTRIBUTE_VARS.get(export.table, ""), []))
        )
        result.note = (
            f"No export for raw.{export.table} in {landing}: a file matching {patterns} would fill it. "
            "Generate sample exports with `make generate`, or drop your own export there "
            "(see export_profiles/)."
        )
    for path, spec in files:
        result.files.append(load_file(connection, export, spec, path, project_vars, share))
    result.seconds = time.perf_counter() - started
    return result
