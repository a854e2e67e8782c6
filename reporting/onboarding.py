"""What the warehouse understood of the exports: the onboarding summary a user reads after a refresh.

One row per finding, in sections: the files loaded and how their lines reconcile, how full each raw
column is, the values the mapping seeds do not know (lead sources, industries, job titles) with the
seed to edit, the attributes the rules test that leads lack (unknown: no points either way), the
quarantine by reason, and the leads without owner, channel or outcome. A refresh
keeps it as ``marts.mart_onboarding_summary``; ``python -m reporting.summary`` prints it.
"""

import duckdb
import pandas as pd

from export_loader.raw_exports import RAW_EXPORTS
from warehouse_core.sql_text import quote_identifier

TABLE = "mart_onboarding_summary"
COLUMNS = ["section", "item", "detail", "count", "share", "what_to_do"]
# The channel of a lead source the seed does not list: the dbt macro unmapped_channel() writes it.
UNMAPPED_CHANNEL = "unmapped"
SECTIONS = (
    "files",
    "fill rates",
    "values not in the mapping seeds",
    "unknown to the scoring rules",
    "quarantine",
    "leads",
)
# Values the mapping seeds do not list: (item, SQL over staging and seeds, the seed to edit).
_UNMAPPED = (
    (
        "lead source",
        "select lead_source, count(*) from intermediate.int_leads_joined_to_accounts "
        f"where channel_code = '{UNMAPPED_CHANNEL}' and lead_source is not null group by 1",
        "add it to dbt_project/seeds/mappings/lead_source_channels.csv",
    ),
    (
        "industry",
        "select industry, count(*) from staging.stg_crm__accounts where industry is not null "
        "and industry not in (select industry from seeds.industry_groups) group by 1",
        "add it to dbt_project/seeds/mappings/industry_groups.csv (otherwise it counts as 'other')",
    ),
    (
        "job title",
        "select job_title, count(*) from intermediate.int_leads_joined_to_accounts as leads "
        "where job_title is not null and not exists (select 1 from seeds.job_title_seniority as titles "
        "where position(titles.title_contains in leads.job_title) > 0) group by 1",
        "add a title_contains row to dbt_project/seeds/mappings/job_title_seniority.csv",
    ),
)
_TOP_VALUES = 5


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def _files(connection) -> list[dict]:
    return [
        {
            "section": "files",
            "item": f"{file} ({export})",
            "detail": f"{encoding}, {status}: {read:,} read = {loaded:,} loaded + {quarantined:,} "
            f"quarantined + {not_selected or 0:,} not selected",
            "count": read,
            "share": loaded / read if read else None,
            "what_to_do": "" if not quarantined else "see the quarantine section",
        }
        for file, export, encoding, status, read, loaded, quarantined, not_selected in _rows(
            connection,
            "select regexp_replace(source_file, '^.*/', ''), export_name, encoding, status, rows_read, "
            "rows_loaded, rows_quarantined, rows_not_selected from raw._file_loads order by loaded_at, 1",
        )
    ]


def _fill_rates(connection) -> list[dict]:
    rows = []
    for export in RAW_EXPORTS:
        table = f"raw.{quote_identifier(export.table)}"
        columns = [
            name
            for (name,) in _rows(
                connection,
                "select column_name from information_schema.columns where table_schema = 'raw' "
                f"and table_name = '{export.table}' and not starts_with(column_name, '_') "
                "order by ordinal_position",
            )
        ]
        total = _rows(connection, f"select count(*) from {table}")[0][0]
        if not total or not columns:
            continue
        filled = _rows(
            connection,
            "select "
            + ", ".join(f"count(nullif(trim({quote_identifier(c)}), ''))" for c in columns)
            + f" from {table}",
        )[0]
        for column, count in zip(columns, filled, strict=True):
            rows.append(
                {
                    "section": "fill rates",
                    "item": f"{export.table}.{column}",
                    "detail": f"{count:,} of {total:,} records filled",
                    "count": count,
                    "share": count / total,
                    "what_to_do": "" if count else "empty: map it in the export profile if the export has it",
                }
            )
    return rows


def _unmapped(connection) -> list[dict]:
    rows = []
    for item, sql, what_to_do in _UNMAPPED:
        values = sorted(_rows(connection, sql), key=lambda row: (-row[1], row[0]))
        total = sum(count for _, count in values)
        rows += [
            {
                "section": "values not in the mapping seeds",
                "item": item,
                "detail": value,
                "count": count,
                "share": count / total,
                "what_to_do": what_to_do,
            }
            for value, count in values[:_TOP_VALUES]
        ]
    return rows


def _unknown_attributes(connection) -> list[dict]:
    [(leads,)] = _rows(
        connection,
        "select count(*) from intermediate.int_lead_scoring_moments where scoring_moment = 'as_of'",
    )
    return [
        {
            "section": "unknown to the scoring rules",
            "item": f"{attribute} ({label_en})",
            "detail": f"不明 for {count:,} of {leads:,} leads",
            "count": count,
            "share": count / leads,
            "what_to_do": "no points either way; map the column in the export profile if the export has it",
        }
        for attribute, label_en, count in _rows(
            connection,
            "select attribute, label_en, count(*) from intermediate.int_lead_unknown_attributes "
            "where scoring_moment = 'as_of' group by 1, 2 order by 3 desc, 1",
        )
    ]


def _quarantine(connection) -> list[dict]:
    return [
        {
            "section": "quarantine",
            "item": table,
            "detail": reason,
            "count": count,
            "share": None,
            "what_to_do": "fix the export or its profile; the lines are in raw._quarantine",
        }
        for table, reason, count in _rows(
            connection,
            "select table_name, regexp_replace(reason, '^([^:;]+: [^;(]+).*$', '\\1'), count(*) "
            "from raw._quarantine group by 1, 2 order by 3 desc, 1, 2",
        )
    ]


def _lead_gaps(connection) -> list[dict]:
    [(leads, no_owner, unmapped, no_outcome)] = _rows(
        connection,
        "select count(*), count(*) - count(owner_user_id), "
        f"count(*) filter (where channel_code = '{UNMAPPED_CHANNEL}'), "
        "count(*) filter (where not is_won and not is_lost) from marts.fct_lead_funnel",
    )
    gaps = (
        ("leads without an owner", no_owner, "map an owner column (lead_owner_id) in the export profile"),
        ("leads with an unmapped channel", unmapped, "see the lead sources above"),
        (
            "leads without an outcome yet (no closed deal)",
            no_outcome,
            "export opportunities with their stage",
        ),
    )
    return [
        {
            "section": "leads",
            "item": item,
            "detail": f"{count:,} of {leads:,}",
            "count": count,
            "share": count / leads if leads else None,
            "what_to_do": what_to_do if count else "",
        }
        for item, count, what_to_do in gaps
    ]


def onboarding_summary(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The findings, section by section (module docstring)."""
    rows = [
        *_files(connection),
        *_fill_rates(connection),
        *_unmapped(connection),
        *_unknown_attributes(connection),
        *_quarantine(connection),
        *_lead_gaps(connection),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def render(summary: pd.DataFrame) -> str:
    """The summary for a terminal: one block per section, fill rates only where not full."""
    lines = ["", "What the warehouse understood of your exports (marts.mart_onboarding_summary):"]
    for section in SECTIONS:
        rows = summary[summary["section"] == section]
        if section == "fill rates":
            rows = rows[rows["share"] < 1]
        lines.append(f"  {section}:")
        if rows.empty:
            lines.append("      (all filled)" if section == "fill rates" else "      (none)")
        for row in rows.itertuples():
            share = "" if pd.isna(row.share) else f" ({row.share:.0%})"
            if section in ("values not in the mapping seeds", "quarantine"):
                share = f": {row.count:,}{share}"
            hint = f"  → {row.what_to_do}" if row.what_to_do else ""
            lines.append(f"      {row.item}: {row.detail}{share}{hint}")
    return "\n".join(lines)
