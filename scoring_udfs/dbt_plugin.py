"""dbt-duckdb plugin: registers every UDF of ``registry.UDFS`` on each connection dbt opens.

Listed in ``dbt_project/profiles.yml`` under ``plugins:``. The same ``register_udfs`` is used by
anything else that opens the warehouse and needs the functions (tests, ad-hoc analysis).
"""

import contextlib

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from scoring_udfs.registry import UDFS
from scoring_udfs.vectorize import over_rows, over_unique_values


def register_udfs(connection: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) each registered UDF as a vectorised Arrow function on ``connection``."""
    for spec in UDFS:
        with contextlib.suppress(duckdb.InvalidInputException):  # not registered on this connection yet
            connection.remove_function(spec.name)
        connection.create_function(
            spec.name,
            (over_unique_values if len(spec.parameters) == 1 else over_rows)(
                spec.function, spec.arrow_result
            ),
            list(spec.parameters),
            spec.result,
            type="arrow",
            null_handling="special",
            side_effects=False,
        )


class Plugin(BasePlugin):
    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        register_udfs(conn)
