"""Loading CRM / MA exports into the warehouse's raw tables, engine by engine the same: export profiles,
readers and encodings, column mapping, row checks and the quarantine, the file log, refusals, and the
build file a run writes and publishes under the run lock. Dagster (orchestration/) calls it; it knows
nothing of Dagster."""
