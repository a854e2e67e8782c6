"""The first and last assets of a run: start a build copy of the warehouse, publish it when all is done."""

from collections.abc import Iterable

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, asset

from orchestration.publish import publish, start_build
from orchestration.resources import WarehouseResource

BUILD_STARTED = AssetKey(["warehouse", "build_started"])
PUBLISHED = AssetKey(["warehouse", "published"])


@asset(
    key=BUILD_STARTED,
    group_name="warehouse",
    kinds={"duckdb"},
    description="Copies the warehouse file to the build file this run writes to.",
)
def build_started(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    copied = start_build(warehouse.published_file, warehouse.database_file)
    context.log.info(
        f"Building in {warehouse.database_file} ({'a copy of the warehouse' if copied else 'new'})"
    )
    return MaterializeResult(metadata={"build_file": str(warehouse.database_file), "copied": copied})


def build_published(upstream: Iterable[AssetKey]) -> AssetsDefinition:
    """The publish asset, downstream of every other asset of the run: it runs only if all succeeded."""

    @asset(
        key=PUBLISHED,
        group_name="warehouse",
        deps=sorted(set(upstream) - {PUBLISHED}),
        kinds={"duckdb"},
        description="Swaps the finished build file in as the warehouse (atomic rename).",
    )
    def published(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        publish(warehouse.database_file, warehouse.published_file)
        context.log.info(f"Published {warehouse.published_file}")
        size_mb = warehouse.published_file.stat().st_size / 2**20
        return MaterializeResult(
            metadata={"warehouse": str(warehouse.published_file), "size_mb": round(size_mb, 1)}
        )

    return published
