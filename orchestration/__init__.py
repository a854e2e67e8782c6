"""Dagster code location: raw CRM/MA export loads into DuckDB, then the dbt project, as one asset graph."""

from orchestration.instance_storage import sync_wal_databases_normally

# Here, so that every process that runs our jobs has it: the refresh command, `make dev`'s run
# workers and the tests.
sync_wal_databases_normally()
