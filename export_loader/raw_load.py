"""Load export files into ``raw.<table>``: every file once, its rows mapped by its export profile,
checked, and appended; rows that fail a check go to ``raw._quarantine`` with the reason.

- A file is identified by its content (SHA-256): the same file dropped again is skipped, so loading
  twice changes nothing. A new file appends its rows; staging keeps the newest version of each record
  (natural key, last-modified time, load time), so a full export after daily deltas deduplicates and
  a late event arriving in a later file is picked up.
- Lines are the unit: a bad line is one quarantine row with all its problems in the reason, and
  rows read = loaded + quarantined + not selected, for every file (``raw._file_loads``). Above the
  share of bad lines allowed (LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE, 5% by default) the file is refused:
  nothing of it reaches raw, every line of it is quarantined (the good ones as held back), the
  refusal is kept in the load log beside the warehouse (export_loader/refusals.py), and the load
  fails saying why and where to look.
- A file that cannot be read, or lacks a required column, stops the load with an error naming the
  file, the column and the columns that were found. A file's rows, quarantine and log entry are
  written in one transaction.
- Headers and values never become SQL: identifiers are quoted and values are bound parameters.
"""

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from export_loader.export_mapping import (
    ExportError,
    ExportNotInFile,
    column_name,
    column_sources,
    create_mapped,
    export_date,
)
from export_loader.export_readers import STAGED, ExportReadError, stage_export
from export_loader.profiles import ExportSpec, load_profiles
from export_loader.raw_exports import RawExport, parsed_column
from export_loader.raw_tables import (
    FILE_LOADS,
    QUARANTINE,
    FileLoad,
    already_loaded,
    ensure_tables,
    log_file_load,
    write_quarantine,
)
from export_loader.raw_validation import MAPPED, PROBLEMS, CheckSettings, find_problems
from export_loader.refusals import REFUSED_FILES, REFUSED_LINES, keep_refusal
from export_loader.timestamp_formats import in_file_order
from scoring_udfs.dbt_plugin import register_udfs
from warehouse_core import settings
from warehouse_core.sql_text import quote_identifier
from warehouse_core.yaml_files import read_yaml

__all__ = ["FILE_LOADS", "QUARANTINE", "ExportError", "column_name", "load_export", "load_file"]

MAX_BAD_ROW_SHARE_VARIABLE = "LEAD_WAREHOUSE_MAX_BAD_ROW_SHARE"
DEFAULT_MAX_BAD_ROW_SHARE = 0.05
# dbt vars naming the custom CRM columns staging carries, per raw table.
CUSTOM_ATTRIBUTE_VARS = {"crm_leads": "custom_lead_attributes", "crm_accounts": "custom_account_attributes"}
AFTER_CONTACT_VAR = "after_contact_attributes"
BEFORE_DECISION_VAR = "before_decision_attributes"


@dataclass
class LoadResult:
    table: str
    files: list[FileLoad] = field(default_factory=list)
    seconds: float = 0.0
    note: str | None = None

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if not f.skipped)

    @property
    def rows_read(self) -> int:
        return self._total("rows_read")

    @property
    def rows_loaded(self) -> int:
        return self._total("rows_loaded")

    @property
    def rows_quarantined(self) -> int:
        return self._total("rows_quarantined")

    @property
    def rows_not_selected(self) -> int:
        return self._total("rows_not_selected")

    @property
    def records_loaded(self) -> int:
        return self._total("records_loaded")

    @property
    def skipped(self) -> bool:
        return all(f.skipped for f in self.files)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def max_bad_row_share() -> float:
    return float(os.environ.get(MAX_BAD_ROW_SHARE_VARIABLE) or DEFAULT_MAX_BAD_ROW_SHARE)


def _project_vars() -> dict:
    project = read_yaml(settings.DBT_PROJECT_DIR / "dbt_project.yml")
    return project["vars"]["lead_warehouse"]


def dbt_vars() -> dict:
    """The vars dbt runs with in a refresh (refresh_dbt_vars) on top of dbt_project.yml's: the loader
    and staging read timestamps, labels and custom columns alike."""
    return {**_project_vars(), **refresh_dbt_vars()}


def refresh_dbt_vars(specs: list[ExportSpec] | None = None) -> dict:
    """The vars a refresh gives dbt: its own (LEAD_WAREHOUSE_DBT_VARS), and the custom attributes the
    export profiles declare added to custom_lead_attributes / custom_account_attributes, so that a
    custom column is declared once, in its profile, and reaches staging, rules and the model."""
    project, override = _project_vars(), settings.dbt_vars_override()
    specs = load_profiles(settings.profiles_dir()) if specs is None else specs
    for table, name in CUSTOM_ATTRIBUTE_VARS.items():
        listed = list(override.get(name, project.get(name) or []))
        declared = [column for spec in specs if spec.target == table for column in spec.custom_attributes]
        if set(declared) - set(listed):
            override[name] = list(dict.fromkeys([*listed, *declared]))
    # When columns are filled reaches the warehouse as two lists: filled only after contact (never a
    # feature), and declared known by the decision (aggregated behaviour may score past moments).
    for name, timings in (
        (AFTER_CONTACT_VAR, {"after_contact"}),
        (BEFORE_DECISION_VAR, {"at_creation", "before_decision"}),
    ):
        listed = list(override.get(name, project.get(name) or []))
        declared = [column for spec in specs for column, known in spec.known.items() if known in timings]
        if set(declared) - set(listed):
            override[name] = list(dict.fromkeys([*listed, *declared]))
    return override


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


def load_file(
    connection: duckdb.DuckDBPyConnection,
    export: RawExport,
    spec: ExportSpec,
    path: Path,
    project_vars: dict,
    max_bad_share: float,
    load_log: Path | None = None,
) -> FileLoad:
    """Load one file through its export spec (see the module docstring)."""
    sha256 = file_sha256(path)
    custom = list(project_vars.get(CUSTOM_ATTRIBUTE_VARS.get(export.table, ""), []))
    ensure_tables(connection, export, [*custom, *spec.custom_attributes])
    previous = already_loaded(connection, spec.name, sha256)
    if previous:
        read, loaded, quarantined, encoding, not_selected, records = previous
        return FileLoad(
            path,
            spec.name,
            sha256,
            read,
            loaded,
            quarantined,
            True,
            encoding,
            not_selected or 0,
            records or 0,
        )
    try:
        staged = stage_export(connection, path, spec)
    except ExportReadError as error:
        raise ExportError(str(error)) from error
    sources = column_sources(spec, staged, export, path)
    extra = [c for c in sources if c not in export.column_names]
    ensure_tables(connection, export, extra)
    columns = [*export.column_names, *[c for c in [*custom, *extra] if c not in export.column_names]]
    columns = list(dict.fromkeys(columns))
    register_udfs(connection)  # salted keys (person_key) and number checks (parse_japanese_number)
    # A profile's dates are rewritten in our form (create_mapped); otherwise staging's formats (dbt vars).
    check_settings = CheckSettings.from_vars(project_vars, dates_rewritten=bool(spec.timestamp_formats))
    event_time_headers = [sources[column] for column in export.event_time_columns if column in sources]
    formats = in_file_order(connection, check_settings.timestamp_formats, STAGED, event_time_headers)
    create_mapped(
        connection, spec, export, staged, sources, columns, path, check_settings.parse_formats(formats)
    )
    stood_in = [column for column in spec.date_fallback if column not in sources and column in columns]
    note = (
        f"{path.name} has no {', '.join(stood_in)}: the export's date {export_date(path)} stands in "
        "(time-based analyses such as cohorts and days to close count from it)."
        if stood_in
        else ""
    )
    find_problems(connection, export, columns, check_settings)
    # Only a stack spec makes several rows of a line; counting distinct lines of 46M rows costs seconds.
    lines = "count(distinct _line_number)" if spec.stack else "count(*)"
    [(mapped_records, mapped_lines)] = connection.execute(
        f"select count(*), {lines} from {MAPPED}"
    ).fetchall()
    bad_lines = connection.execute(f"select count(distinct line_number) from {PROBLEMS}").fetchall()[0][0]
    bad_records = connection.execute(
        f"select count(*) from {MAPPED} where _line_number in (select line_number from {PROBLEMS})"
    ).fetchall()[0][0]
    rows_read = staged.rows + len(staged.malformed)
    rows_not_selected = staged.rows - mapped_lines
    bad_lines_in_total = bad_lines + len(staged.malformed)
    selected = rows_read - rows_not_selected
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    refused = selected > 0 and bad_lines_in_total / selected > max_bad_share
    bad_share = bad_lines_in_total / max(selected, 1)
    share = f"{bad_lines_in_total:,} of {selected:,} lines fail checks ({bad_share:.1%})"
    load = FileLoad(
        path,
        spec.name,
        sha256,
        rows_read,
        0 if refused else mapped_lines - bad_lines,
        # A refused file loads nothing: every selected line is accounted for in the quarantine.
        selected if refused else bad_lines_in_total,
        False,
        staged.encoding,
        rows_not_selected,
        0 if refused else mapped_records - bad_records,
        note,
    )
    connection.execute("begin transaction")
    try:
        refusal = f"held back: the file was refused ({share})" if refused else None
        write_quarantine(connection, export, spec, path, sha256, staged, refusal, loaded_at)
        if not refused:
            lineage = "$file as _source_file, $sha256 as _file_sha256, _line_number, $loaded_at as _loaded_at"
            parsed = [parsed_column(c) for c in export.parsed_columns if c in columns]
            connection.execute(
                f"insert into raw.{quote_identifier(export.table)} by name select "
                f"{', '.join(quote_identifier(c) for c in [*columns, *parsed])}, {lineage} from {MAPPED} "
                f"where _line_number not in (select line_number from {PROBLEMS})",
                {"file": path.name, "sha256": sha256, "loaded_at": loaded_at},
            )
        log_file_load(connection, export, spec, path, load, "refused" if refused else "loaded", loaded_at)
        connection.execute("commit")
    except duckdb.Error as error:
        connection.execute("rollback")
        raise ExportError(f"Loading {path} into raw.{export.table} failed: {error}") from error
    if refused:
        raise ExportError(_refusal_message(connection, path, spec, sha256, share, max_bad_share, load_log))
    return load


def _refusal_message(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    spec: ExportSpec,
    sha256: str,
    share: str,
    max_bad_share: float,
    load_log: Path | None,
) -> str:
    """Why the file was refused (lines per problem, first examples), and where its lines are kept."""
    reasons = connection.execute(
        f"select column_name || ': ' || reason, count(distinct line_number), min(line_number) "
        f"from {PROBLEMS} group by 1 order by 2 desc, 1 limit 5"
    ).fetchall()
    malformed = connection.execute(
        f"select reason, count(*), min(line_number) from {QUARANTINE} where file_sha256 = $sha256 "
        "and export_name = $export and file_refused and starts_with(reason, 'malformed line') "
        "group by 1 order by 2 desc, 1 limit 5",
        {"sha256": sha256, "export": spec.name},
    ).fetchall()
    summary = "; ".join(
        f"{reason}: {count:,} lines (first: line {first})" for reason, count, first in reasons + malformed
    )
    kept = f"{QUARANTINE} of this run's build (file_refused = true), which the next run discards"
    if load_log is not None:
        try:
            keep_refusal(connection, load_log, sha256, spec.name, summary)
            kept = f"{load_log} (tables {REFUSED_FILES} and {REFUSED_LINES})"
        except duckdb.Error as error:
            kept += f" (the load log {load_log} could not be written: {error})"
    return (
        f"{path.name} refused: {share}, more than the {max_bad_share:.0%} allowed by "
        f"{MAX_BAD_ROW_SHARE_VARIABLE}. {summary}. Nothing of it was loaded; its lines and their "
        f"reasons are in {kept}. Fix the export or its profile, or remove it from the landing folder."
    )


def load_export(
    connection: duckdb.DuckDBPyConnection,
    export: RawExport,
    landing: Path,
    specs: list[ExportSpec] | None = None,
    load_log: Path | None = None,
) -> LoadResult:
    """Load every new file of ``landing`` that an export profile maps onto ``raw.<export.table>``;
    a refused file's lines are also kept in ``load_log`` (export_loader/refusals.py)."""
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
        patterns = ", ".join(sorted({spec.file_pattern for spec in specs}))
        ensure_tables(
            connection, export, list(project_vars.get(CUSTOM_ATTRIBUTE_VARS.get(export.table, ""), []))
        )
        result.note = (
            f"No export for raw.{export.table} in {landing}, so it stays empty: a file matching {patterns} "
            "would fill it. Generate sample exports with `make generate`, or drop your own export there."
            if patterns
            else f"No export profile targets raw.{export.table}, so it stays empty. If you have such an "
            "export, add it to a profile in export_profiles/ (see the README)."
        )
    notes = [result.note] if result.note else []
    for path, spec in files:
        try:
            loaded = load_file(connection, export, spec, path, project_vars, share, load_log)
        except ExportNotInFile as not_there:
            notes.append(str(not_there))
            continue
        result.files.append(loaded)
        notes += [loaded.note] if loaded.note else []
    result.note = "\n".join(notes) or None
    result.seconds = time.perf_counter() - started
    return result
