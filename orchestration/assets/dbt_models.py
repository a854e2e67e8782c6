"""The dbt project as assets: keys are [schema, model] (marts/fct_x), groups are the schemas.

dbt sources carry ``meta.dagster.asset_key`` = the raw-load asset, so raw loads and models form one
graph, and dbt tests appear as asset checks.
"""

import json
import shutil
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, Config
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from export_loader.raw_load import refresh_dbt_vars
from orchestration.dbt_command import DBT_BUILD
from orchestration.project import dbt_project, ensure_manifest
from orchestration.resources import WarehouseResource
from warehouse_core import settings


class LeadWarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


class DbtBuildConfig(Config):
    """full_refresh: rebuild the incremental event models from every loaded row (dbt --full-refresh)."""

    full_refresh: bool = False


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    dagster_dbt_translator=LeadWarehouseTranslator(),
)
def lead_warehouse_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource, config: DbtBuildConfig
):
    # dbt builds in this run's build file; the published warehouse stays as it was until the end.
    override = refresh_dbt_vars()
    with settings.dbt_database(warehouse.database_file):
        arguments = DBT_BUILD + (["--full-refresh"] if config.full_refresh else [])
        if override:
            context.log.info(f"dbt vars of this refresh: {json.dumps(override, ensure_ascii=False)}")
            arguments += ["--vars", json.dumps(override)]
        invocation = dbt.cli(arguments, context=context)
        try:
            yield from invocation.stream()
        finally:
            # dagster-dbt leaves one target/<run id> folder per run, a failed one too; the run's
            # results and errors are in Dagster.
            shutil.rmtree(invocation.target_path, ignore_errors=True)
