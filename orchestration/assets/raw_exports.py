"""One asset per raw table: load the new files of the landing folder that export profiles map onto it."""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from export_loader.raw_exports import RAW_EXPORTS, RawExport
from export_loader.raw_load import QUARANTINE, load_export
from orchestration.assets.publish import BUILD_STARTED
from orchestration.resources import WarehouseResource


def build_raw_export_asset(export: RawExport) -> AssetsDefinition:
    @asset(
        key=["raw", export.table],
        group_name="raw",
        # A table whose rows refer to leads loads after raw.crm_leads, so references are checked
        # against the leads of the same refresh.
        deps=[BUILD_STARTED, *(["raw", table] for table in sorted(export.references))],
        description=f"{export.description} Loaded as text through the export profiles (export_profiles/).",
        kinds={"duckdb"},
    )
    def load(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        with warehouse.connect() as connection:
            result = load_export(connection, export, warehouse.landing_path, load_log=warehouse.load_log_file)
            total_rows = connection.execute(f'select count(*) from raw."{export.table}"').fetchall()[0][0]
        if result.note:
            context.log.warning(result.note)
        for file in result.files:
            if file.skipped:
                context.log.info(f"{file.source_file.name}: already loaded (same content), skipped")
            else:
                context.log.info(
                    f"{file.source_file.name} ({file.export_name}, {file.encoding}): "
                    f"{file.rows_read:,} rows read = {file.rows_loaded:,} loaded + "
                    f"{file.rows_quarantined:,} quarantined + {file.rows_not_selected:,} not selected "
                    f"({file.records_loaded:,} raw records)"
                )
        return MaterializeResult(
            metadata={
                "files": MetadataValue.json(
                    [
                        {
                            "file": f.source_file.name,
                            "export": f.export_name,
                            "sha256": f.sha256,
                            "skipped": f.skipped,
                            "read": f.rows_read,
                            "loaded": f.rows_loaded,
                            "quarantined": f.rows_quarantined,
                            "not_selected": f.rows_not_selected,
                        }
                        for f in result.files
                    ]
                ),
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rows_not_selected": result.rows_not_selected,
                "records_loaded": result.records_loaded,
                "quarantine": QUARANTINE,
                "dagster/row_count": MetadataValue.int(total_rows),
                "unchanged_files_skipped": sum(f.skipped for f in result.files),
                "load_seconds": MetadataValue.float(round(result.seconds, 3)),
            }
        )

    return load


raw_export_assets = [build_raw_export_asset(export) for export in RAW_EXPORTS]
