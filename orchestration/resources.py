"""Resources: the DuckDB warehouse (for the raw loads) and the dbt CLI of the engine (DuckDB or Spark)."""

from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from pydantic import PrivateAttr

from export_loader.publish import DEFAULT_RUN_ID, build_file_for
from export_loader.refusals import load_log_for
from orchestration.dbt_command import engine_dbt
from orchestration.project import dbt_project
from scoring_udfs.dbt_plugin import apply_resource_limits
from warehouse_core import settings


class WarehouseResource(ConfigurableResource):
    """The embedded DuckDB file and the landing folder the exports are read from.

    A run writes to its own build file next to the warehouse (export_loader/publish.py); readers use
    the published warehouse file, which only the last step of a successful run replaces."""

    database_path: str
    landing_dir: str
    _run_id: str = PrivateAttr(default=DEFAULT_RUN_ID)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._run_id = context.run.run_id if context.run else DEFAULT_RUN_ID

    @property
    def run_id(self) -> str:
        return self._run_id

    @contextmanager
    def connect(self):
        # DuckDB allows one writer: the connection is closed before dbt opens the file.
        connection = duckdb.connect(str(self.database_file))
        apply_resource_limits(connection)
        try:
            yield connection
        finally:
            connection.close()

    @property
    def landing_path(self) -> Path:
        return Path(self.landing_dir)

    @property
    def published_file(self) -> Path:
        """The warehouse BI tools read."""
        return Path(self.database_path)

    @property
    def load_log_file(self) -> Path:
        """Where refused exports stay explained after a failed run (export_loader/refusals.py)."""
        return load_log_for(self.published_file)

    @property
    def database_file(self) -> Path:
        """The file this run builds (and its steps read and write)."""
        return build_file_for(self.published_file, self.run_id)


def build_resources() -> dict:
    executable, target = engine_dbt()
    return {
        "warehouse": WarehouseResource(
            database_path=str(settings.warehouse_path()),
            landing_dir=str(settings.landing_dir()),
        ),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=executable, target=target),
    }
