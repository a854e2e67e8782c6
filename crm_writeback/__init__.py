"""Scores written back to the CRM: HubSpot, Salesforce and Marketo import files."""
