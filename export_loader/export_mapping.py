"""From a staged export to our raw columns, as its export profile says: header resolution, placeholder
values, value maps, first-of-list ids, timestamps rewritten in Japan time, stacked columns and row
filters. Everything a file or a profile supplies is either a quoted identifier or a bound parameter.
"""

import contextlib
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from export_loader.export_readers import STAGED, StagedExport
from export_loader.profiles import ExportSpec
from export_loader.raw_exports import RawExport, parsed_column
from export_loader.raw_validation import MAPPED
from warehouse_core.sql_text import quote_identifier

# 64 bits of the salted hash: no collision to expect below billions of people.
SALTED_KEY_HEX_DIGITS = 16


class ExportError(Exception):
    """An export cannot be loaded; the message says which file, what is wrong and what to do."""


class ExportNotInFile(ExportError):
    """An optional export's required columns are not in the file: the file does not hold it."""


_DATE_IN_NAME = re.compile(r"(20\d\d)-?([01]\d)-?([0-3]\d)")
JAPAN = timezone(timedelta(hours=9))


def export_date(path: Path) -> str:
    """The date an export was taken: a YYYY-MM-DD (or YYYYMMDD) in its name, else the day it was
    last modified in Japan."""
    match = _DATE_IN_NAME.search(path.name)
    if match:
        with contextlib.suppress(ValueError):
            return date(*map(int, match.groups())).isoformat()
    return datetime.fromtimestamp(path.stat().st_mtime, JAPAN).date().isoformat()


def column_name(header: str) -> str:
    """The raw column name for an export header: "Dwell Time (sec)" -> "dwell_time_sec"."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


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


def column_sources(spec: ExportSpec, staged: StagedExport, export: RawExport, path: Path) -> dict[str, str]:
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
    for column, wanted in spec.salted_keys.items():
        header = _resolve(staged.headers, wanted)
        if column not in sources and header is not None:
            sources[column] = header
    stacked = set(spec.stack.into) if spec.stack else set()
    missing = [
        c
        for c in export.required_columns
        if c not in sources and c not in spec.constants and c not in stacked and c not in spec.date_fallback
    ]
    if missing and spec.optional:
        raise ExportNotInFile(f"{path.name} has no {', '.join(missing)} for export {spec.name}: skipped.")
    if missing:
        wanted = "; ".join(f"{column}: {_accepted_headers(spec, column)}" for column in missing)
        raise ExportError(
            f"{path.name} has no column {', '.join(missing)}, which raw.{export.table} needs. The export "
            f"profile {spec.name} accepts these headers for it — {wanted}. Columns found: "
            f"{', '.join(staged.headers)}. Rename the header in the file, or add it to the profile."
        )
    return sources


def _accepted_headers(spec: ExportSpec, column: str) -> str:
    """The headers a profile maps onto ``column``, as a user would type them."""
    if spec.columns == "snake_case":
        return f'any header that reads "{column}" in snake case (e.g. "{column.replace("_", " ").title()}")'
    wanted = {**spec.columns, **spec.salted_keys}.get(column, [])
    headers = [wanted] if isinstance(wanted, str) else list(wanted)
    return ", ".join(f'"{header}"' for header in headers) or "none (map it under columns:)"


def _value_expression(
    column: str, header: str | None, spec: ExportSpec, export: RawExport, params: _Params, path: Path
) -> str:
    if header is None:
        if column in spec.date_fallback:
            return params.bind(export_date(path))
        return params.bind(spec.constants[column]) if column in spec.constants else "cast(null as varchar)"
    value = f"cast({quote_identifier(header)} as varchar)"
    value = (
        f"case when list_contains({params.bind(spec.null_values)}, trim({value})) then null else {value} end"
    )
    if column in spec.salted_keys and header == _resolve([header], spec.salted_keys[column]):
        # The same salted SHA-256 as person_key in the marts (scoring_udfs/privacy.py), shortened.
        return f"'P' || substr(person_key({value}), 1, {SALTED_KEY_HEX_DIGITS})"
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


def _parse(value: str, kind: str, formats: str) -> str:
    """SQL parsing ``value`` as staging's parser of ``kind`` does (macros/casting.sql)."""
    parsed = f"try_strptime(trim({value}), {formats})"
    if kind == "date":
        return f"cast({parsed} as date)"
    if kind == "month":
        return f"cast(date_trunc('month', {parsed}) as date)"
    return parsed


def create_mapped(
    connection,
    spec: ExportSpec,
    export: RawExport,
    staged: StagedExport,
    sources: dict[str, str],
    columns: list[str],
    path: Path,
    parse_formats: dict[str, list[str]],
) -> None:
    """``_mapped_export``: the file's rows as raw columns, with _line_number (a stack spec makes one
    row per filled stacked column), and each event time, date and month parsed beside its text with
    ``parse_formats`` of its kind (the formats the row checks accept)."""
    params = _Params()
    stacked = spec.stack.into if spec.stack else ()
    base = {
        c: _value_expression(c, sources.get(c), spec, export, params, path)
        for c in columns
        if c not in stacked
    }
    rows = [base]
    if spec.stack:
        name_column, value_column = spec.stack.into
        rows = [
            {
                **base,
                name_column: params.bind(name),
                value_column: _value_expression(value_column, header, spec, export, params, path),
            }
            for name, wanted in spec.stack.from_.items()
            if (header := _resolve(staged.headers, wanted)) is not None
        ]
        if not rows:
            raise ExportError(f"Export profile {spec.name}: none of its stacked columns is in the file.")
    parsed = {column: kind for column, kind in export.parsed_columns.items() if column in columns}
    formats = {kind: params.bind(parse_formats[kind]) for kind in set(parsed.values())}
    rows = [
        {**row, **{parsed_column(c): _parse(row[c], kind, formats[kind]) for c, kind in parsed.items()}}
        for row in rows
    ]
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
