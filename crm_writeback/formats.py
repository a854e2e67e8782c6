"""The import file of each CRM: its key column and the header each score field is written under.

Each CRM matches rows on its key: HubSpot's contact import on Record ID (our lead_id when the export came
from HubSpot; Email as well), Salesforce's Data Import Wizard / Data Loader update on the Lead ID, a
Marketo list import on Email Address. The score fields go to custom properties / fields you create once
in the CRM with these names (README, "Writing scores back to the CRM")."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportFormat:
    name: str
    file_prefix: str
    # warehouse field -> header in the file, key first.
    columns: dict[str, str]
    # A row without this field cannot be matched by the CRM and is left out.
    required: str


# The fields whose change puts a lead in the next files (the as-of date, written too, changes daily).
FIELDS = ["lead_score", "fit_grade", "score_band", "buying_stage", "top_reasons", "is_score_qualified"]

FORMATS = [
    ImportFormat(
        name="HubSpot contacts",
        file_prefix="hubspot_contacts",
        columns={
            "lead_id": "Record ID",
            "email": "Email",
            "lead_score": "Lead warehouse score",
            "fit_grade": "Fit grade",
            "score_band": "Score band",
            "buying_stage": "Buying stage",
            "top_reasons": "Top reasons",
            "is_score_qualified": "Score qualified",
            "scored_as_of": "Scored as of",
        },
        required="lead_id",
    ),
    ImportFormat(
        name="Salesforce leads",
        file_prefix="salesforce_leads",
        columns={
            "lead_id": "Id",
            "lead_score": "Lead_Score__c",
            "fit_grade": "Fit_Grade__c",
            "score_band": "Score_Band__c",
            "buying_stage": "Buying_Stage__c",
            "top_reasons": "Top_Reasons__c",
            "is_score_qualified": "Score_Qualified__c",
            "scored_as_of": "Scored_As_Of__c",
        },
        required="lead_id",
    ),
    ImportFormat(
        name="Marketo leads",
        file_prefix="marketo_leads",
        columns={
            "email": "Email Address",
            "lead_score": "Lead Warehouse Score",
            "fit_grade": "Fit Grade",
            "score_band": "Score Band",
            "buying_stage": "Buying Stage",
            "top_reasons": "Top Reasons",
            "is_score_qualified": "Score Qualified",
            "scored_as_of": "Scored As Of",
        },
        required="email",
    ),
]
