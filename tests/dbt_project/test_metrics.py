"""The semantic layer answers what the marts say: `mf query` (MetricFlow) on the built warehouse gives
the KPI mart's monthly figures, per channel, the SLA share per rep and conversion per score band."""

import os
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.dbt_command import DBT_EXECUTABLE
from orchestration.project import dbt_project
from warehouse_core.settings import WAREHOUSE_PATH_VARIABLE

MF_EXECUTABLE = str(Path(DBT_EXECUTABLE).with_name("mf"))
# mart_kpi_monthly's column for each metric.
KPI_COLUMNS = {
    "leads": "new_leads",
    "mqls": "mqls",
    "score_qualified_leads": "score_qualified_at_decision",
    "sqls": "sqls",
    "won": "won_deals",
    "new_customers": "new_customers",
    "mql_to_sql_rate": "mql_to_sql_rate",
    "sql_to_won_rate": "sql_to_won_rate",
    "mql_to_won_rate": "mql_to_won_rate",
    "days_lead_to_close": "avg_days_lead_to_close",
    "won_amount_jpy": "won_amount_jpy",
    "pipeline_created_amount_jpy": "pipeline_created_amount_jpy",
    "spend_jpy": "spend_jpy",
    "cac_jpy": "cac_jpy",
}
# Counts a month without any is 0 in the mart and absent (null) in MetricFlow's answer.
COUNTS = ["leads", "mqls", "score_qualified_leads", "sqls", "won", "new_customers", "won_amount_jpy",
          "pipeline_created_amount_jpy", "spend_jpy"]  # fmt: skip


def mf_query(database: Path, metrics: list[str], group_by: list[str], out: Path) -> pd.DataFrame:
    """Run `mf query` as `make metrics` does, on ``database``, and read its CSV."""
    environment = {
        **os.environ,
        WAREHOUSE_PATH_VARIABLE: str(database),
        "DBT_PROFILES_DIR": str(dbt_project.project_dir),
    }
    completed = subprocess.run(
        [
            MF_EXECUTABLE,
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
        ],
        cwd=dbt_project.project_dir,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return pd.read_csv(out)


@pytest.fixture(scope="module")
def kpi_mart(built_warehouse) -> pd.DataFrame:
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        return connection.execute("select * from marts.mart_kpi_monthly").df()


def assert_metrics_equal_mart(answer: pd.DataFrame, mart: pd.DataFrame, keys: list[str]) -> None:
    # MetricFlow answers a row without a month for the leads a measure's date is null on (never handed
    # off, never SQL): it counts nothing, and the mart leaves those leads out.
    undated = answer["kpi_month"].isna()
    assert (answer.loc[undated, COUNTS].fillna(0) == 0).all().all()
    answer = answer[~undated]
    mart = mart.rename(columns={column: f"mart_{column}" for column in mart.columns if column not in keys})
    merged = answer.merge(mart, on=keys, how="outer", indicator=True)
    months_with_data = merged[merged["_merge"] != "right_only"]
    unmatched = months_with_data[months_with_data["_merge"] != "both"]
    assert unmatched.empty, unmatched
    # A month the mart lists and MetricFlow does not has nothing to count.
    mart_only = merged[merged["_merge"] == "right_only"]
    assert (mart_only[[f"mart_{KPI_COLUMNS[m]}" for m in COUNTS]].fillna(0) == 0).all().all()
    for metric, column in KPI_COLUMNS.items():
        expected = months_with_data[f"mart_{column}"].astype(float)
        actual = months_with_data[metric].astype(float)
        if metric in COUNTS:
            actual = actual.fillna(0)
        pd.testing.assert_series_equal(actual, expected, check_names=False, rtol=1e-9, obj=metric)


def test_monthly_metrics_equal_the_kpi_mart(built_warehouse, kpi_mart, tmp_path):
    answer = mf_query(built_warehouse, list(KPI_COLUMNS), ["metric_time__month"], tmp_path / "monthly.csv")
    answer["kpi_month"] = pd.to_datetime(answer.pop("metric_time__month")).dt.date
    mart = kpi_mart[kpi_mart["channel_code"] == "all"].drop(columns="channel_code")
    mart["kpi_month"] = pd.to_datetime(mart["kpi_month"]).dt.date
    assert len(answer) >= 6 and answer["mqls"].sum() > 0
    assert_metrics_equal_mart(answer, mart, ["kpi_month"])


def test_metrics_by_channel_equal_the_kpi_mart(built_warehouse, kpi_mart, tmp_path):
    answer = mf_query(
        built_warehouse, list(KPI_COLUMNS), ["metric_time__month", "channel"], tmp_path / "channel.csv"
    )
    answer["kpi_month"] = pd.to_datetime(answer.pop("metric_time__month")).dt.date
    answer = answer.rename(columns={"channel": "channel_code"})
    mart = kpi_mart[kpi_mart["channel_code"] != "all"].copy()
    mart["kpi_month"] = pd.to_datetime(mart["kpi_month"]).dt.date
    assert answer["channel_code"].nunique() >= 5
    assert_metrics_equal_mart(answer, mart, ["kpi_month", "channel_code"])


def test_sla_share_by_rep_and_conversion_by_band_equal_their_marts(built_warehouse, tmp_path):
    sla = mf_query(
        built_warehouse,
        ["sla_within_target_share", "sla_met", "sla_decided"],
        ["metric_time__month", "sales_rep"],
        tmp_path / "sla.csv",
    )
    bands = mf_query(
        built_warehouse,
        ["decided_leads", "decided_leads_won", "conversion_rate_at_decision"],
        ["lead__score_band_at_decision"],
        tmp_path / "bands.csv",
    )
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        sla_mart = connection.execute(
            "select handoff_month, owner_user_id, sla_met, sla_met + sla_missed as decided, share_within_sla "
            "from marts.mart_sla_compliance_monthly where breakdown = 'by_owner'"
        ).df()
        band_mart = connection.execute(
            "select score_band, leads + leads_still_maturing as decided, won + won_still_maturing as won "
            "from marts.mart_score_band_conversion where leads + leads_still_maturing > 0"
        ).df()
    sla["handoff_month"] = pd.to_datetime(sla.pop("metric_time__month")).dt.date
    sla_mart["handoff_month"] = pd.to_datetime(sla_mart["handoff_month"]).dt.date
    merged = sla.merge(
        sla_mart,
        left_on=["handoff_month", "sales_rep"],
        right_on=["handoff_month", "owner_user_id"],
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all() and len(merged) >= 10
    assert (merged["sla_met_x"] == merged["sla_met_y"]).all()
    assert (merged["sla_decided"] == merged["decided"]).all()
    pd.testing.assert_series_equal(
        merged["sla_within_target_share"], merged["share_within_sla"], check_names=False, rtol=1e-9
    )

    # Leads not yet at their decision moment have no band and count nothing.
    assert (bands.loc[bands["lead__score_band_at_decision"].isna(), "decided_leads"] == 0).all()
    bands = bands[bands["decided_leads"] > 0]
    bands = bands.rename(columns={"lead__score_band_at_decision": "score_band"}).merge(
        band_mart, on="score_band", how="outer", indicator=True
    )
    assert (bands["_merge"] == "both").all() and len(bands) >= 3
    assert (bands["decided_leads"] == bands["decided"]).all()
    assert (bands["decided_leads_won"] == bands["won"]).all()
    pd.testing.assert_series_equal(
        bands["conversion_rate_at_decision"], bands["won"] / bands["decided"], check_names=False, rtol=1e-9
    )
