"""Writes one sample export per file, as a CRM and an MA tool export them, chunk by chunk.

The files are deterministic for a given seed, size and as-of date, and memory stays flat as the size
grows: leads and everything that hangs off them are produced ``chunk_size`` leads at a time.
"""

import sys
from datetime import date
from pathlib import Path

import numpy as np

from sample_exports import accounts, behaviour, leads, sales, spend
from sample_exports.randomness import SECONDS_PER_DAY
from sample_exports.writers import ExportWriter

# Export file names (without extension) and their columns: the contract with the raw loader.
EXPORTS = {
    "crm_accounts": accounts.COLUMNS,
    "crm_users": leads.USER_COLUMNS,
    "crm_leads": leads.LEAD_COLUMNS,
    "ma_activities": behaviour.ACTIVITY_COLUMNS,
    "ma_email_events": behaviour.EMAIL_COLUMNS,
    "crm_lead_status_history": sales.STATUS_COLUMNS,
    "crm_sales_activities": sales.SALES_ACTIVITY_COLUMNS,
    "crm_bant_assessments": sales.BANT_COLUMNS,
    "crm_opportunities": sales.OPPORTUNITY_COLUMNS,
    "marketing_spend_monthly": spend.COLUMNS,
}
DEFAULT_CHUNK_SIZE = 20_000


def generate(
    out: Path,
    lead_count: int,
    seed: int,
    as_of: date,
    months: int = 18,
    file_format: str = "csv",
    activity_scale: float = 1.0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress=None,
) -> dict[str, int]:
    """Generate every export into ``out``; return rows written per export.

    ``as_of`` is the export date: exports are taken at 06:00 Japan time that day and hold nothing later.
    Leads are created over the ``months`` before it.
    """
    if lead_count < 1:
        raise ValueError("--leads must be at least 1")
    report = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    out.mkdir(parents=True, exist_ok=True)
    end = int(np.datetime64(as_of, "s").astype(np.int64)) + 6 * 3600
    start = end - months * 30 * SECONDS_PER_DAY
    writers = {name: ExportWriter(out, name, columns, file_format) for name, columns in EXPORTS.items()}
    try:
        account_traits = accounts.generate_accounts(
            seed, max(1, lead_count // 3), start, end, writers["crm_accounts"].write
        )
        users = leads.generate_users(seed, lead_count, writers["crm_users"].write)
        spend.generate_spend(seed, lead_count, start, end, writers["marketing_spend_monthly"].write)
        sales_writers = {
            "status": writers["crm_lead_status_history"].write,
            "tasks": writers["crm_sales_activities"].write,
            "bant": writers["crm_bant_assessments"].write,
            "opportunities": writers["crm_opportunities"].write,
        }
        for chunk, first in enumerate(range(0, lead_count, chunk_size)):
            size = min(chunk_size, lead_count - first)
            lead_chunk = leads.generate_leads(
                seed, chunk, first, size, start, end, account_traits, users, writers["crm_leads"].write
            )
            engagement = behaviour.generate_activities(
                seed, chunk, lead_chunk, end, activity_scale, writers["ma_activities"].write
            )
            behaviour.generate_email_events(
                seed, chunk, lead_chunk, start, end, writers["ma_email_events"].write
            )
            sales.simulate_sales(seed, chunk, lead_chunk, users, engagement, end, sales_writers)
            report(f"generated leads {first + size:,}/{lead_count:,}")
    finally:
        for writer in writers.values():
            writer.close()
    return {writer.path.name: writer.rows for writer in writers.values()}
