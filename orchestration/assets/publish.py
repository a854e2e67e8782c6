"""The first and last assets of a run: take the run lock and start this run's build file; publish it
when all is done and release the lock. A failing step releases the lock through the jobs' hook."""

from collections.abc import Iterable

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    HookContext,
    MaterializeResult,
    asset,
    failure_hook,
)

from export_loader import run_lock
from export_loader.publish import publish, start_build
from orchestration.resources import WarehouseResource

BUILD_STARTED = AssetKey(["warehouse", "build_started"])
BUILD_FILE_MADE = {
    "cloned": "the warehouse cloned: its blocks are shared until this run changes them",
    "copied": "a copy of the warehouse (this file system cannot clone files)",
    "new": "new",
}
PUBLISHED = AssetKey(["warehouse", "published"])


@asset(
    key=BUILD_STARTED,
    group_name="warehouse",
    kinds={"duckdb"},
    description="Takes the run lock (one refresh at a time) and copies the warehouse file to this run's "
    "build file (a clone, sharing its blocks, where the file system can).",
)
def build_started(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    run_lock.acquire(warehouse.published_file, warehouse.run_id, log=context.log.info)
    try:
        made = start_build(warehouse.published_file, warehouse.database_file, warehouse.run_id)
    except Exception:
        run_lock.release(warehouse.published_file)
        raise
    context.log.info(f"Building in {warehouse.database_file} ({BUILD_FILE_MADE[made]})")
    return MaterializeResult(metadata={"build_file": str(warehouse.database_file), "made": made})


def build_published(upstream: Iterable[AssetKey]) -> AssetsDefinition:
    """The publish asset, downstream of every other asset of the run: it runs only if all succeeded."""

    @asset(
        key=PUBLISHED,
        group_name="warehouse",
        deps=sorted(set(upstream) - {PUBLISHED}),
        kinds={"duckdb"},
        description="Swaps this run's finished build file in as the warehouse (atomic rename) and "
        "releases the run lock.",
    )
    def published(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        try:
            publish(warehouse.database_file, warehouse.published_file, warehouse.run_id)
        finally:
            run_lock.release(warehouse.published_file)
        context.log.info(f"Published {warehouse.published_file}")
        size_mb = warehouse.published_file.stat().st_size / 2**20
        return MaterializeResult(
            metadata={"warehouse": str(warehouse.published_file), "size_mb": round(size_mb, 1)}
        )

    return published


@failure_hook(required_resource_keys={"warehouse"})
def release_run_lock_on_failure(context: HookContext) -> None:
    """A failed step ends the run's chance to publish: let the next run start."""
    run_lock.release(context.resources.warehouse.published_file)
