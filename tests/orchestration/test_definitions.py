"""The Dagster code location: it loads, its graph is one piece, and a full materialization works."""

import os
import shutil

import duckdb
import pytest
from dagster import (
    AssetKey,
    DagsterInvalidConfigError,
    build_sensor_context,
    materialize,
    validate_run_config,
)
from dagster_dbt import DbtCliResource

from export_loader.publish import leftover_builds
from export_loader.raw_exports import RAW_EXPORTS
from export_loader.refusals import load_log_for
from orchestration.assets.dbt_models import lead_warehouse_dbt_models
from orchestration.assets.evaluation import evaluation_assets
from orchestration.assets.publish import build_published, build_started
from orchestration.assets.raw_exports import raw_export_assets
from orchestration.assets.reports import onboarding_summary, weekly_html_report
from orchestration.dbt_command import dbt_target_dir
from orchestration.definitions import defs
from orchestration.project import DBT_EXECUTABLE, dbt_project
from orchestration.refresh import run_config
from orchestration.resources import WarehouseResource
from orchestration.sensors import landing_folder_sensor


def test_definitions_load_with_raw_and_dbt_assets_in_one_graph():
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for export in RAW_EXPORTS:
        assert AssetKey(["raw", export.table]) in keys
    assert AssetKey(["reports", "weekly_html_report"]) in keys
    assert AssetKey(["marts", "mart_onboarding_summary"]) in keys
    for mart in (
        "fct_lead_funnel",
        "fct_sla_lead_response",
        "mart_sla_compliance_monthly",
        "mart_kpi_monthly",
        "mart_score_band_conversion",
        "dim_leads",
        "fct_lead_scores",
        "fct_lead_score_components",
        "fct_lead_scores_daily",
        "mart_handoff_alerts",
    ):
        assert AssetKey(["marts", mart]) in keys
    # dbt sources resolve to the raw-load assets, so staging hangs off them.
    assert AssetKey(["raw", "crm_leads"]) in graph.get(AssetKey(["staging", "stg_crm__leads"])).parent_keys
    assert (
        AssetKey(["intermediate", "int_leads_joined_to_accounts"])
        in graph.get(AssetKey(["marts", "dim_leads"])).parent_keys
    )


def test_job_schedule_and_sensor_are_defined():
    assert defs.resolve_job_def("refresh_warehouse_job") is not None
    schedule = defs.resolve_schedule_def("daily_refresh_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "Asia/Tokyo"
    retraining = defs.resolve_schedule_def("weekly_retraining_schedule")
    assert retraining.job_name == "retrain_models_job" and retraining.execution_timezone == "Asia/Tokyo"
    assert defs.resolve_sensor_def("landing_folder_sensor") is not None


def test_full_refresh_flag_is_valid_run_config_and_reaches_the_dbt_command():
    job = defs.resolve_job_def("refresh_warehouse_job")
    assert validate_run_config(job, run_config(full_refresh=True))
    assert "ops" not in run_config()
    with pytest.raises(DagsterInvalidConfigError):
        validate_run_config(
            job, {"ops": {lead_warehouse_dbt_models.op.name: {"config": {"full_refresh": "yes"}}}}
        )


def test_sensor_requests_a_run_only_for_new_or_changed_exports(isolated_paths):
    _, landing = isolated_paths
    assert landing_folder_sensor(build_sensor_context()).__class__.__name__ == "SkipReason"
    (landing / "crm_users.csv").write_text("User ID,Full Name,Team\nU1,山田 太郎,営業\n", encoding="utf-8")
    first = landing_folder_sensor(build_sensor_context())
    assert first.run_key
    unchanged = landing_folder_sensor(build_sensor_context(cursor=first.run_key))
    assert unchanged.__class__.__name__ == "SkipReason"
    (landing / "crm_users.csv").write_text(
        "User ID,Full Name,Team\nU1,山田 太郎,営業\nU2,佐藤 花子,営業\n", encoding="utf-8"
    )
    changed = landing_folder_sensor(build_sensor_context(cursor=first.run_key))
    assert changed.run_key and changed.run_key != first.run_key


def test_full_materialization_in_process(isolated_paths, sample_landing, monkeypatch):
    database, landing = isolated_paths
    shutil.copytree(sample_landing, landing, dirs_exist_ok=True)
    assert os.environ["LEAD_WAREHOUSE_DUCKDB_PATH"] == str(database)
    monkeypatch.setenv("LEAD_WAREHOUSE_REPORTS_DIR", str(database.parent / "reports"))
    monkeypatch.setenv("LEAD_WAREHOUSE_MODELS_DIR", str(database.parent / "models"))
    assets = [
        build_started,
        *raw_export_assets,
        lead_warehouse_dbt_models,
        *evaluation_assets,
        weekly_html_report,
        onboarding_summary,
    ]
    assets.append(build_published(key for definition in assets for key in definition.keys))
    resources = {
        "warehouse": WarehouseResource(database_path=str(database), landing_dir=str(landing)),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }
    result = materialize(assets, resources=resources)
    assert result.success
    assert database.exists() and not leftover_builds(database)  # built aside, then swapped in
    checks = result.get_asset_check_evaluations()
    assert checks and all(check.passed for check in checks)
    leads_load = result.asset_materializations_for_node("raw__crm_leads")[0]
    loaded_rows = leads_load.metadata["dagster/row_count"].value
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("select count(*) from raw.crm_leads").fetchall()[0][0] == loaded_rows
        assert connection.sql("select count(*) from marts.dim_leads").fetchall()[0][0] > 0
        # 600 leads are too few outcomes to train on: the model refuses and says so in the registry;
        # the backtest of the rule scores and the A/B test still run.
        [(status, reason)] = connection.sql("select status, reason from ml.model_registry").fetchall()
        assert status == "refused" and "Not enough outcomes" in reason
        scores = {
            row[0] for row in connection.sql("select score_name from marts.mart_backtest_summary").fetchall()
        }
        assert {"current", "engagement_heavy", "fit_heavy", "suggested_rules"} <= scores
        assert connection.sql("select count(*) from marts.mart_ab_test_results").fetchall()[0][0] == 1
    assert (database.parent / "reports" / "weekly_report.html").stat().st_size > 10_000

    # A run that fails half-way (a junk export is refused) publishes nothing: the warehouse BI reads
    # is the previous one, whole and readable.
    published_before = database.stat().st_mtime_ns
    junk = "Activity ID,Lead ID,Activity Type,Activity Date,Web Page URL\n" + "".join(
        f"J{n},NOBODY,Visit Web Page,not a date,x\n" for n in range(50)
    )
    (landing / "ma_activities_junk.csv").write_text(junk, encoding="utf-8")
    failed = materialize(assets, resources=resources, raise_on_error=False)
    assert not failed.success
    assert database.stat().st_mtime_ns == published_before
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql("select count(*) from raw.crm_leads").fetchall()[0][0] == loaded_rows
        assert connection.sql("select count(*) from raw._quarantine").fetchall()[0][0] == 0
    # ... and the refused file's 50 lines stay explained beside it, where the error message says.
    with duckdb.connect(str(load_log_for(database)), read_only=True) as load_log:
        assert load_log.sql("select count(*) from refused_lines").fetchall()[0][0] == 50
    target = dbt_target_dir()
    leftover = {path.name for path in target.iterdir() if path.is_dir()} - {"compiled", "run"}
    assert not leftover, f"per-run dbt target folders are cleaned, found {leftover}"
