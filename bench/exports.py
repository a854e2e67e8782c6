"""Benchmark exports: one generated export split into the exports of two consecutive days.

The generator writes a complete export as of a date. The benchmark needs what a CRM and an MA tool
give on two days in a row: a full export one day, and the next day only what happened since (new
events, new leads, status changes). So one export as of ``last_day`` is generated and split at
06:00 Japan time of the day before: rows up to then form the first day's full export, the rest the
delta file of each dated export (``ma_activities_<date>.csv``), as a daily delta export is named.
Dimension exports (accounts, users, spend) are all in the first day. The split is plain DuckDB SQL,
so a 50M-event export splits in seconds.
"""

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from export_loader.raw_load import dbt_vars
from sample_exports.generator import generate
from warehouse_core.sql_text import quote_identifier, quote_literal

# The column that dates each row of an export that changes day by day.
DATED_COLUMNS = {
    "crm_leads": "Created Date",
    "ma_activities": "Activity Date",
    "ma_email_events": "Event Date",
    "crm_lead_status_history": "Changed Date",
    "crm_sales_activities": "Activity Date Time",
    "crm_bant_assessments": "Assessed Date",
    "crm_opportunities": "Created Date",
}
_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
)
EXPORT_HOUR = 6  # exports are taken at 06:00 Japan time (sample_exports.generator)


def _complete(directory: Path) -> bool:
    return (directory / ".complete").exists()


def _write_rows(connection, source: Path, target: Path, condition: str) -> None:
    connection.execute(
        f"copy (select * from read_csv({quote_literal(str(source))}, all_varchar = true, header = true) "
        f"where {condition}) to {quote_literal(str(target))} (format csv, header true, force_quote *)"
    )


def split_export(source: Path, first_day: Path, next_day: Path, cutoff: datetime, delta_suffix: str) -> None:
    """Write the rows of ``source`` up to ``cutoff`` to ``first_day`` and later ones to ``next_day``."""
    for directory in (first_day, next_day):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    formats = "[" + ", ".join(quote_literal(fmt) for fmt in dbt_vars()["export_timestamp_formats"]) + "]"
    with duckdb.connect() as connection:
        connection.execute("set enable_progress_bar = false")
        for path in sorted(source.glob("*.csv")):
            column = DATED_COLUMNS.get(path.stem)
            if column is None:
                shutil.copyfile(path, first_day / path.name)
                continue
            stamp = f"try_strptime({quote_identifier(column)}, {formats})"
            limit = f"timestamp {quote_literal(cutoff.isoformat(sep=' '))}"
            _write_rows(connection, path, first_day / path.name, f"coalesce({stamp} <= {limit}, true)")
            _write_rows(connection, path, next_day / f"{path.stem}_{delta_suffix}.csv", f"{stamp} > {limit}")
    for directory in (first_day, next_day):
        (directory / ".complete").touch()


def two_days_of_exports(cache: Path, leads: int, seed: int, first_day: date, **options) -> tuple[Path, Path]:
    """Directories holding the full export of ``first_day`` and the delta of the day after (cached)."""
    next_day = first_day + timedelta(days=1)
    generated = cache / f"generated-{leads}-{seed}-{next_day.isoformat()}"
    split = cache / f"split-{leads}-{seed}-{first_day.isoformat()}"
    full_dir, delta_dir = split / "full", split / "delta"
    if _complete(full_dir) and _complete(delta_dir):
        return full_dir, delta_dir
    if not _complete(generated):
        shutil.rmtree(generated, ignore_errors=True)
        generate(generated, leads, seed, next_day, **options)
        (generated / ".complete").touch()
    cutoff = datetime.combine(first_day, datetime.min.time()) + timedelta(hours=EXPORT_HOUR)
    split_export(generated, full_dir, delta_dir, cutoff, next_day.isoformat())
    return full_dir, delta_dir
