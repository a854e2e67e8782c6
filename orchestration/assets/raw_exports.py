"""One asset per raw export: load the file from the landing folder into ``raw.<table>``."""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.raw_exports import RAW_EXPORTS, RawExport
from orchestration.raw_load import load_export
from orchestration.resources import WarehouseResource


def build_raw_export_asset(export: RawExport) -> AssetsDefinition:
    @asset(
        key=["raw", export.table],
        group_name="raw",
        description=f"{export.description} Loaded as text from `{export.file_stem}.csv|parquet`.",
        kinds={"duckdb"},
    )
    def load(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        with warehouse.connect() as connection:
            result = load_export(connection, export, warehouse.landing_path)
        verb = "unchanged since the last load, kept" if result.skipped else "loaded"
        context.log.info(f"{result.source_file.name}: {result.rows:,} rows {verb} (raw.{export.table})")
        return MaterializeResult(
            metadata={
                "source_file": MetadataValue.path(str(result.source_file)),
                "sha256": result.sha256,
                "dagster/row_count": MetadataValue.int(result.rows),
                "loaded_at": MetadataValue.text(result.loaded_at.isoformat(timespec="seconds") + "Z"),
                "unchanged_file_skipped": result.skipped,
                "load_seconds": MetadataValue.float(round(result.seconds, 3)),
            }
        )

    return load


raw_export_assets = [build_raw_export_asset(export) for export in RAW_EXPORTS]
