"""The raw exports the warehouse reads: which file feeds which ``raw`` table, and what it must contain."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RawExport:
    """One export file (``<file_stem>.csv`` or ``.parquet`` in the landing folder) → ``raw.<table>``.

    ``required_columns`` are header names after ``column_name()``; a file without one of them is
    refused before anything is written.
    """

    table: str
    file_stem: str
    description: str
    required_columns: tuple[str, ...]


RAW_EXPORTS: tuple[RawExport, ...] = (
    RawExport(
        "crm_accounts",
        "crm_accounts",
        "CRM accounts (companies).",
        (
            "account_id",
            "account_name",
            "industry",
            "employees",
            "annual_revenue",
            "prefecture",
            "last_modified_date",
        ),
    ),
    RawExport(
        "crm_users", "crm_users", "CRM users: the sales reps who own leads.", ("user_id", "full_name", "team")
    ),
    RawExport(
        "crm_leads",
        "crm_leads",
        "CRM leads and contacts.",
        (
            "lead_id",
            "account_id",
            "email",
            "title",
            "department",
            "lead_source",
            "lead_owner_id",
            "created_date",
            "last_modified_date",
        ),
    ),
    RawExport(
        "ma_activities",
        "ma_activities",
        "MA activity log: page views, downloads, forms, webinars.",
        ("activity_id", "lead_id", "activity_type", "activity_date", "web_page_url"),
    ),
    RawExport(
        "ma_email_events",
        "ma_email_events",
        "MA email events: sent, delivered, open, click, bounce, unsubscribe.",
        ("event_id", "lead_id", "campaign_id", "event_type", "event_date"),
    ),
    RawExport(
        "crm_lead_status_history",
        "crm_lead_status_history",
        "CRM lead status changes (MQL, SAL, SQL, ...).",
        ("lead_id", "status", "changed_date"),
    ),
    RawExport(
        "crm_sales_activities",
        "crm_sales_activities",
        "CRM tasks: calls, emails and meetings by sales reps.",
        ("task_id", "lead_id", "type", "assigned_to", "activity_date_time"),
    ),
    RawExport(
        "crm_bant_assessments",
        "crm_bant_assessments",
        "BANT assessments entered by sales.",
        ("assessment_id", "lead_id", "assessed_date", "budget", "authority", "need", "timeline"),
    ),
    RawExport(
        "crm_opportunities",
        "crm_opportunities",
        "CRM opportunities (deals) with stage and outcome.",
        ("opportunity_id", "lead_id", "stage", "amount", "created_date", "close_date"),
    ),
    RawExport(
        "marketing_spend_monthly",
        "marketing_spend_monthly",
        "Monthly marketing spend by channel.",
        ("month", "channel", "spend_jpy"),
    ),
)
