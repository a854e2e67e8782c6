"""dbt-duckdb plugin: configures each connection dbt opens — resource limits, then every UDF.

Listed in ``dbt_project/profiles.yml`` under ``plugins:``. ``register_udfs`` and
``apply_resource_limits`` are also used by anything else that opens the warehouse (the raw loader,
tests, ad-hoc analysis).

Resource limits come from the environment, unset meaning DuckDB's defaults (every core, 80% of RAM):
LEAD_WAREHOUSE_DUCKDB_THREADS (e.g. 2) and LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT (e.g. 4GB or 50%).
"""

import contextlib
import os
import re

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from scoring_udfs.registry import UDFS

_MEMORY_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(%|[KMGT]i?B)$", flags=re.IGNORECASE)


def apply_resource_limits(connection: duckdb.DuckDBPyConnection) -> None:
    """Set DuckDB's threads and memory limit from the environment, refusing malformed values."""
    threads = os.environ.get("LEAD_WAREHOUSE_DUCKDB_THREADS", "").strip()
    memory_limit = os.environ.get("LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT", "").strip()
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ValueError(
                f"LEAD_WAREHOUSE_DUCKDB_THREADS must be a positive whole number, not {threads!r}"
            )
        connection.execute(f"set threads = {int(threads)}")
    if memory_limit:
        if not _MEMORY_LIMIT.match(memory_limit):
            raise ValueError(
                f"LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT must look like 4GB, 512MB or 50%, not {memory_limit!r}"
            )
        connection.execute(f"set memory_limit = '{memory_limit}'")
        # Under a limit, large tables are written without keeping their rows' order (no model or test
        # relies on it): DuckDB then buffers far less, and spills instead of running out of memory.
        connection.execute("set preserve_insertion_order = false")


def register_udfs(connection: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) each registered UDF as a vectorised Arrow function on ``connection``."""
    for spec in UDFS:
        with contextlib.suppress(duckdb.InvalidInputException):  # not registered on this connection yet
            connection.remove_function(spec.name)
        connection.create_function(
            spec.name,
            spec.arrow_function(),
            list(spec.parameters),
            spec.result,
            type="arrow",
            null_handling="special",
            side_effects=False,
        )


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        apply_resource_limits(conn)
        register_udfs(conn)
