"""Dagster code location: raw CRM/MA export loads into DuckDB, then the dbt project, as one asset graph."""
