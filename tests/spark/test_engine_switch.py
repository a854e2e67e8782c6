"""LEAD_WAREHOUSE_ENGINE selects the dbt the refresh runs: dbt on DuckDB, or on Spark the executable
that starts the session with the UDFs first; any other value stops with what to set."""

from pathlib import Path

import pytest

from orchestration.dbt_command import engine_dbt
from orchestration.resources import build_resources
from warehouse_core import settings


def test_duckdb_is_the_default(monkeypatch):
    monkeypatch.delenv(settings.ENGINE_VARIABLE, raising=False)
    executable, target = engine_dbt()
    assert (Path(executable).name, target) == ("dbt", "duckdb")


def test_spark_runs_dbt_through_the_session_starting_executable(monkeypatch):
    monkeypatch.setenv(settings.ENGINE_VARIABLE, " Spark ")
    dbt = build_resources()["dbt"]
    assert (Path(dbt.dbt_executable).name, dbt.target) == ("lead-warehouse-spark-dbt", "spark")
    assert Path(dbt.dbt_executable).exists()


def test_an_unknown_engine_says_what_to_set(monkeypatch):
    monkeypatch.setenv(settings.ENGINE_VARIABLE, "snowflake")
    expected = "LEAD_WAREHOUSE_ENGINE='snowflake' is not an engine: .*duckdb, spark"
    with pytest.raises(ValueError, match=expected):
        engine_dbt()
