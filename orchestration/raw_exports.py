"""The raw tables the warehouse reads, and what each of their columns must hold.

Every export file, whatever its CRM or MA, is mapped by a profile (export_profiles/*.yml) onto one
of these tables. The columns are those staging reads; ``kind`` decides the row checks of the loader
(raw_validation.py), ``required`` columns must be filled on every row and mapped by every profile.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str = "text"  # id | text | email | url | number | boolean | event_time | timestamp | date | month
    required: bool = False
    references: str | None = None  # "crm_leads.lead_id": a value must be a known key of that table


@dataclass(frozen=True)
class RawExport:
    """``raw.<table>``: what it holds and its columns."""

    table: str
    description: str
    columns: tuple[ColumnSpec, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    @property
    def references(self) -> set[str]:
        """Raw tables this one refers to (their files must be loaded first)."""
        return {column.references.split(".")[0] for column in self.columns if column.references}


C = ColumnSpec
LEAD_REFERENCE = "crm_leads.lead_id"

RAW_EXPORTS: tuple[RawExport, ...] = (
    RawExport(
        "crm_accounts",
        "CRM accounts (companies).",
        (
            C("account_id", "id", True),
            C("account_name", required=True),
            C("industry"),
            C("employees"),
            C("annual_revenue"),
            C("prefecture"),
            C("website", "url"),
            C("last_modified_date", "event_time"),
        ),
    ),
    RawExport(
        "crm_users",
        "CRM users: the sales reps who own leads.",
        (
            C("user_id", "id", True),
            C("full_name", required=True),
            C("email", "email"),
            C("team"),
            C("active", "boolean"),
        ),
    ),
    RawExport(
        "crm_leads",
        "CRM leads and contacts.",
        (
            C("lead_id", "id", True),
            C("account_id", "id"),
            C("last_name"),
            C("first_name"),
            C("email", "email"),
            C("phone"),
            C("title"),
            C("department"),
            C("lead_source"),
            C("do_not_contact", "boolean"),
            C("lead_owner_id", "id"),
            C("created_date", "event_time", True),
            C("last_modified_date", "event_time"),
        ),
    ),
    RawExport(
        "ma_activities",
        "MA activity log: page views, downloads, forms, webinars.",
        (
            C("activity_id", "id", True),
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("activity_type", required=True),
            C("activity_date", "event_time", True),
            C("web_page_url", "url"),
            C("session_id"),
            C("dwell_time_sec", "number"),
            C("asset_name"),
            C("asset_type"),
            C("webinar_name"),
        ),
    ),
    RawExport(
        "ma_email_events",
        "MA email events: sent, delivered, open, click, bounce, unsubscribe.",
        (
            C("event_id", "id", True),
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("campaign_id", "id"),
            C("campaign_name"),
            C("event_type", required=True),
            C("bounce_type"),
            C("event_date", "event_time", True),
        ),
    ),
    RawExport(
        "crm_lead_status_history",
        "CRM lead status changes (MQL, SAL, SQL, ...).",
        (
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("status", required=True),
            C("changed_date", "event_time", True),
            C("changed_by"),
            C("reason"),
        ),
    ),
    RawExport(
        "crm_sales_activities",
        "CRM tasks: calls, emails and meetings by sales reps.",
        (
            C("task_id", "id", True),
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("type", required=True),
            C("subject"),
            C("assigned_to", "id"),
            C("activity_date_time", "event_time", True),
        ),
    ),
    RawExport(
        "crm_bant_assessments",
        "BANT assessments entered by sales.",
        (
            C("assessment_id", "id", True),
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("assessed_date", "event_time", True),
            C("assessed_by"),
            C("budget"),
            C("budget_amount", "number"),
            C("authority"),
            C("need"),
            C("need_note"),
            C("timeline"),
        ),
    ),
    RawExport(
        "crm_opportunities",
        "CRM opportunities (deals) with stage and outcome.",
        (
            C("opportunity_id", "id", True),
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("account_id", "id"),
            C("opportunity_name"),
            C("stage", required=True),
            C("amount", "number"),
            C("created_date", "event_time", True),
            C("close_date", "date"),
            C("lost_reason"),
            C("opportunity_owner_id", "id"),
        ),
    ),
    RawExport(
        "marketing_spend_monthly",
        "Monthly marketing spend by channel.",
        (C("month", "month", True), C("channel", required=True), C("spend_jpy", "number", True)),
    ),
)

RAW_EXPORTS_BY_TABLE = {export.table: export for export in RAW_EXPORTS}
