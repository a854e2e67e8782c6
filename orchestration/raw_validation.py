"""Row checks of a mapped export before it reaches raw: each failing value becomes a problem
(line, column, reason) in the temp table ``_row_problems``; rows with a problem go to quarantine."""

import duckdb

from orchestration.raw_exports import RawExport
from orchestration.sql_text import quote_identifier, quote_literal

MAPPED = "_mapped_export"
PROBLEMS = "_row_problems"
# Longer values are junk (a broken export, binary data), not text anyone typed.
MAX_VALUE_LENGTH = 10_000
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CONTROL_CHARACTERS = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]"
MONTH_FORMATS = ["%Y/%m", "%Y-%m", "%Y/%m/%d", "%Y-%m-%d", "%Y年%m月"]


def find_problems(
    connection: duckdb.DuckDBPyConnection,
    export: RawExport,
    columns: list[str],
    timestamp_formats: list[str],
    date_formats: list[str],
) -> None:
    """Fill ``_row_problems`` for ``_mapped_export`` (which holds ``columns`` and _line_number)."""
    checks: list[tuple[str, str, str]] = []  # (column, failing condition, reason)
    for name in columns:
        checks.append(
            (name, f"length(x) > {MAX_VALUE_LENGTH}", f"longer than {MAX_VALUE_LENGTH:,} characters")
        )
        checks.append(
            (name, f"regexp_matches(x, '{CONTROL_CHARACTERS}')", "control characters (binary data?)")
        )
    for spec in export.columns:
        if spec.name not in columns:
            continue
        if spec.required:
            checks.append((spec.name, "x is null or trim(x) = ''", "required value missing"))
        if spec.kind == "email":
            checks.append(
                (spec.name, f"not regexp_full_match(trim(x), '{EMAIL_PATTERN}')", "not an email address")
            )
        elif spec.kind == "number":
            checks.append(
                (
                    spec.name,
                    r"try_cast(regexp_replace(x, '[,¥￥円\s]', '', 'g') as double) is null",
                    "not a number",
                )
            )
        elif spec.kind == "timestamp":
            checks.append(
                (spec.name, "try_strptime(trim(x), $timestamp_formats) is null", "unparseable date")
            )
        elif spec.kind == "date":
            checks.append((spec.name, "try_strptime(trim(x), $date_formats) is null", "unparseable date"))
        elif spec.kind == "month":
            checks.append((spec.name, "try_strptime(trim(x), $month_formats) is null", "unparseable month"))
        if spec.references:
            table, key = spec.references.split(".")
            checks.append(
                (
                    spec.name,
                    f"x not in (select {quote_identifier(key)} from raw.{quote_identifier(table)} "
                    f"where {quote_identifier(key)} is not null)",
                    f"unknown {key} (not in raw.{table})",
                )
            )
    parts = [
        f"select _line_number as line_number, {quote_literal(column)} as column_name, "
        f"{quote_literal(reason)} as reason "
        f"from (select _line_number, {quote_identifier(column)} as x from {MAPPED}) "
        f"where {condition if 'x is null' in condition else f'x is not null and ({condition})'}"
        for column, condition, reason in checks
    ]
    # Event times are parsed once for both of their checks (the costliest check on event-sized files).
    parts += [
        f"select * from (with times as materialized (select _line_number, try_strptime("
        f"trim({quote_identifier(spec.name)}), $timestamp_formats) as parsed from {MAPPED} "
        f"where {quote_identifier(spec.name)} is not null) "
        f"select _line_number, {quote_literal(spec.name)}, "
        "case when parsed is null then 'unparseable date' else 'date in the future' end "
        "from times where parsed is null or parsed > $latest_allowed)"
        for spec in export.columns
        if spec.kind == "event_time" and spec.name in columns
    ]
    sql = f"create or replace temp table {PROBLEMS} as {' union all '.join(parts)}"
    values = {
        "timestamp_formats": timestamp_formats,
        "date_formats": date_formats + timestamp_formats,
        "month_formats": MONTH_FORMATS + date_formats,
        "latest_allowed": _latest_allowed(connection),
    }
    connection.execute(sql, {name: value for name, value in values.items() if f"${name}" in sql})


def _latest_allowed(connection: duckdb.DuckDBPyConnection):
    """Exports are in Japan time: a date after the end of tomorrow there is in the future."""
    return connection.execute(
        "select date_trunc('day', timezone('Asia/Tokyo', now())) + interval 2 day"
    ).fetchall()[0][0]
