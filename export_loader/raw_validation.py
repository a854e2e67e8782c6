"""Row checks of a mapped export before it reaches raw: each failing value becomes a problem
(line, column, reason) in the temp table ``_row_problems``; lines with a problem go to quarantine.

Each typed check accepts exactly what staging's parser of that kind makes a value of (the table in
raw_exports.py): the same formats from the same dbt vars, the same Python function for numbers.
"""

from dataclasses import dataclass

import duckdb

from export_loader.raw_exports import NUMBER_RANGE, RAW_EXPORTS, ColumnSpec, RawExport, parsed_column
from warehouse_core.sql_text import quote_identifier, quote_literal

MAPPED = "_mapped_export"
PROBLEMS = "_row_problems"
# Longer values are junk (a broken export, binary data), not text anyone typed.
MAX_VALUE_LENGTH = 10_000
EMAIL_ADDRESS = r"[^@\s]+@[^@\s]+\.[^@\s]+"
EMAIL_PATTERN = f"^{EMAIL_ADDRESS}$"
CONTROL_CHARACTERS = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]"
# What profiles with their own timestamp_formats rewrite dates and times into (export_mapping.py).
REWRITTEN_TIMESTAMP, REWRITTEN_DATE = "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"


@dataclass(frozen=True)
class CheckSettings:
    """What the checks accept, from the dbt vars staging reads."""

    timestamp_formats: list[str]
    date_formats: list[str]
    month_formats: list[str]
    true_labels: list[str]
    false_labels: list[str]
    unknown_labels: list[str]
    labels: dict[str, list[str]]  # var name -> the export labels it maps

    @classmethod
    def from_vars(cls, project_vars: dict, dates_rewritten: bool = False) -> "CheckSettings":
        timestamps = list(project_vars["export_timestamp_formats"])
        dates = list(project_vars["export_date_formats"])
        return cls(
            timestamp_formats=[REWRITTEN_TIMESTAMP] if dates_rewritten else timestamps,
            date_formats=[REWRITTEN_DATE] if dates_rewritten else dates,
            month_formats=list(project_vars["export_month_formats"]) + dates + timestamps,
            true_labels=[label.lower() for label in project_vars["true_labels"]],
            false_labels=[label.lower() for label in project_vars["false_labels"]],
            unknown_labels=list(project_vars["unknown_value_labels"]),
            labels={
                spec.labels: [str(label) for label in project_vars[spec.labels]]
                for export in RAW_EXPORTS
                for spec in export.columns
                if spec.labels
            },
        )

    def parse_formats(self, timestamp_formats: list[str]) -> dict[str, list[str]]:
        """The formats the loader parses each kind with (export_mapping.create_mapped): event times in
        ``timestamp_formats``' order (the file's); a date may hold a timestamp, whose date is kept
        (staging's parse_export_date)."""
        return {
            "event_time": timestamp_formats,
            "date": self.date_formats + self.timestamp_formats,
            "month": self.month_formats,
        }


def _typed_checks(spec: ColumnSpec, settings: CheckSettings) -> list[tuple[str, str]]:
    """(failing condition on x, reason) for a column's kind and labels."""
    checks = []
    if spec.kind == "id":
        checks.append(
            (
                f"regexp_matches(x, '{EMAIL_ADDRESS}')",
                "an e-mail address cannot be a key (salted_keys in the export profile makes one of it)",
            )
        )
    elif spec.kind == "email":
        checks.append((f"not regexp_full_match(trim(x), '{EMAIL_PATTERN}')", "not an email address"))
    elif spec.kind == "number":
        low, high = NUMBER_RANGE
        checks.append(("parse_japanese_number(x) is null", "not a number"))
        checks.append(
            (f"parse_japanese_number(x) not between {low} and {high}", f"outside the range {low} to {high:,}")
        )
    elif spec.kind == "integer":
        checks.append(("try_cast(trim(x) as integer) is null", "not a whole number"))
    elif spec.kind == "event_time":
        pass  # parsed once for both of its checks, below
    elif spec.kind in ("date", "month"):
        checks.append(("parsed is null", f"unparseable {spec.kind}"))
    elif spec.kind == "boolean":
        checks.append(
            (
                "lower(trim(x)) not in (select unnest($yes_no_labels))",
                "not a yes/no value (vars true_labels, false_labels)",
            )
        )
    if spec.labels:
        label = "lower(trim(x))" if spec.labels_any_case else "trim(x)"
        known = [item.lower() if spec.labels_any_case else item for item in settings.labels[spec.labels]]
        checks.append(
            (
                f"{label} not in (select unnest({_list_literal(known)}))",
                f"a label the dbt var {spec.labels} does not map (add it there)",
            )
        )
    return checks


def _list_literal(values: list[str]) -> str:
    return "[" + ", ".join(quote_literal(value) for value in values) + "]::varchar[]"


def find_problems(
    connection: duckdb.DuckDBPyConnection, export: RawExport, columns: list[str], settings: CheckSettings
) -> None:
    """Fill ``_row_problems`` for ``_mapped_export`` (which holds ``columns``, _line_number and each
    event time's parse, parsed_column). The connection has our UDFs (parse_japanese_number: the
    function staging parses numbers with)."""
    known = "x is not null and trim(x) <> '' and trim(x) not in (select unnest($unknown_labels))"
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
        checks += [
            (spec.name, f"{known} and ({condition})", reason)
            for condition, reason in _typed_checks(spec, settings)
        ]
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
    # Dates and months were parsed once, into the mapped export (create_mapped): their check reads it.
    parsed = {
        name: quote_identifier(parsed_column(name)) for name in export.parsed_columns if name in columns
    }
    parts = [
        f"select _line_number as line_number, {quote_literal(column)} as column_name, "
        f"{quote_literal(reason)} as reason "
        f"from (select _line_number, {quote_identifier(column)} as x, {parsed.get(column, 'null')} as parsed "
        f"from {MAPPED}) "
        f"where {condition if 'x is null' in condition else f'x is not null and ({condition})'}"
        for column, condition, reason in checks
    ]
    # Event times were parsed so too, for both of their checks; staging reads raw's parsed values.
    parts += [
        f"select _line_number, {quote_literal(name)}, "
        f"case when {quote_identifier(parsed_column(name))} is null then 'unparseable date' "
        "else 'date in the future' end "
        f"from {MAPPED} where {quote_identifier(name)} is not null "
        f"and ({quote_identifier(parsed_column(name))} is null "
        f"or {quote_identifier(parsed_column(name))} > $latest_allowed)"
        for name in export.event_time_columns
        if name in columns
    ]
    sql = f"create or replace temp table {PROBLEMS} as {' union all '.join(parts)}"
    values = {
        "yes_no_labels": settings.true_labels + settings.false_labels,
        "unknown_labels": settings.unknown_labels,
        "latest_allowed": _latest_allowed(connection),
    }
    connection.execute(sql, {name: value for name, value in values.items() if f"${name}" in sql})


def _latest_allowed(connection: duckdb.DuckDBPyConnection):
    """Exports are in Japan time: a date after the end of tomorrow there is in the future."""
    return connection.execute(
        "select date_trunc('day', timezone('Asia/Tokyo', now())) + interval 2 day"
    ).fetchall()[0][0]
