"""The raw tables the warehouse reads, and what each of their columns must hold.

Every export file, whatever its CRM or MA, is mapped by a profile (export_profiles/*.yml) onto one
of these tables. The columns are those staging reads; ``kind`` decides the row checks of the loader
(raw_validation.py), ``required`` columns must be filled on every row and mapped by every profile.
A check accepts exactly what staging's parser of that kind turns into a value, so a value in raw
never becomes NULL in staging (the dbt test raw_values_reach_staging holds every refresh to it):

| kind       | accepted (and parsed by staging with)                                             |
|------------|-----------------------------------------------------------------------------------|
| number     | parse_japanese_number (a Python UDF), between NUMBER_RANGE; "5,000万円", "約1,200名" |
| integer    | plain whole numbers (SQL cast): event-sized columns stay free of Python UDFs        |
| date       | dbt vars export_date_formats, then export_timestamp_formats (the date part is kept) |
| month      | var export_month_formats, then the date and timestamp formats                       |
| event_time | var export_timestamp_formats                                                        |
| boolean    | vars true_labels and false_labels (any letter case)                                 |
| labels=var | the keys of that dbt var (the export's label -> our code, e.g. lead_statuses)      |

Event times, dates and months are parsed once, by the loader's check: raw keeps the parse beside the
text (parsed_column) and staging reads it.

Values of var unknown_value_labels ("非公開", "不明", ...) mean "not known" in a typed column: they
pass, and staging holds NULL (unknown is never scored as a value).
"""

from dataclasses import dataclass

# The kinds the loader's check parses, and the SQL type of raw's column holding the parse.
PARSED_TYPES = {"event_time": "timestamp", "date": "date", "month": "date"}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str = "text"  # id | text | email | url | number | integer | boolean | event_time | date | month
    required: bool = False
    references: str | None = None  # "crm_leads.lead_id": a value must be a known key of that table
    labels: str | None = None  # a dbt var mapping the export's labels to our codes
    labels_any_case: bool = False  # staging lower-cases the label before looking it up


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
    def event_time_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.kind == "event_time"]

    @property
    def parsed_columns(self) -> dict[str, str]:
        """The columns the loader parses (kind event_time, date, month) -> the kind."""
        return {column.name: column.kind for column in self.columns if column.kind in PARSED_TYPES}

    @property
    def references(self) -> set[str]:
        """Raw tables this one refers to (their files must be loaded first)."""
        return {column.references.split(".")[0] for column in self.columns if column.references}


def parsed_column(column: str) -> str:
    """The raw column holding the loader's parse of an event_time (Japan time, as exported), date or
    month (its first day) column: the loader's check parses every value anyway, so staging reads this
    instead of parsing the text again (tens of millions of event rows). Null on rows loaded before it
    existed, which staging parses from the text."""
    return f"_parsed_{column}"


# Counts and amounts in yen: never negative, and at most 1,000兆 (10^15), far above any real deal.
NUMBER_RANGE = (0, 10**15)

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
            C("employees", "number"),
            C("annual_revenue", "number"),
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
            # An e-mail opt-out (unsubscribed, "Email Opt Out") is not do-not-contact: sales may still call.
            C("email_opt_out", "boolean"),
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
            C("activity_type", required=True, labels="ma_activity_types"),
            C("activity_date", "event_time", True),
            C("web_page_url", "url"),
            C("session_id"),
            C("dwell_time_sec", "integer"),
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
            C("event_type", required=True, labels="email_event_types", labels_any_case=True),
            C("bounce_type"),
            C("event_date", "event_time", True),
        ),
    ),
    RawExport(
        "crm_lead_status_history",
        "CRM lead status changes (MQL, SAL, SQL, ...).",
        (
            C("lead_id", "id", True, LEAD_REFERENCE),
            C("status", required=True, labels="lead_statuses"),
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
            C("type", required=True, labels="sales_activity_types"),
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
            C("budget", labels="bant_levels"),
            C("budget_amount", "number"),
            C("authority", labels="bant_authority_roles"),
            C("need", labels="bant_levels"),
            C("need_note"),
            C("timeline", labels="bant_timelines"),
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
            C("stage", required=True, labels="opportunity_stages"),
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
