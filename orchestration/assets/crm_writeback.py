"""CRM write-back files, after publishing: HubSpot, Salesforce and Marketo import files of the leads
whose score fields changed since the last write-back (crm_writeback/)."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from crm_writeback.writeback import default_folder, write_back
from orchestration.assets.publish import PUBLISHED
from orchestration.resources import WarehouseResource


@asset(
    key=["crm_writeback", "import_files"],
    group_name="alerts",
    deps=[PUBLISHED],
    kinds={"csv"},
    description="Import files for HubSpot, Salesforce and Marketo with the leads whose score fields changed, "
    "written to LEAD_WAREHOUSE_WRITEBACK_DIR (outside the warehouse).",
)
def crm_writeback_files(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    result = write_back(warehouse.published_file)
    context.log.info(f"CRM write-back: {result.describe()}")
    return MaterializeResult(
        metadata={
            "changed_leads": result.changed_leads,
            "folder": str(default_folder(warehouse.published_file)),
            **{path.rsplit("/", 1)[-1]: rows for path, rows in result.files.items()},
        }
    )
