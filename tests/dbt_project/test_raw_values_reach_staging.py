"""One parser per type: what the loader lets through reaches staging typed, and the dbt test
raw_values_reach_staging fails a refresh when a raw value would become NULL in staging."""

import json
import os
import subprocess

import duckdb

from export_loader.raw_exports import RAW_EXPORTS, RAW_EXPORTS_BY_TABLE
from export_loader.raw_load import MAX_BAD_ROW_SHARE_VARIABLE, load_export
from orchestration.project import DBT_EXECUTABLE, dbt_project
from tests.conftest import SAMPLE_AS_OF, as_of_vars
from warehouse_core.settings import LANDING_DIR_VARIABLE, WAREHOUSE_PATH_VARIABLE

OPPORTUNITIES = RAW_EXPORTS_BY_TABLE["crm_opportunities"]
SPEND = RAW_EXPORTS_BY_TABLE["marketing_spend_monthly"]
OPPORTUNITY_HEADER = "Opportunity ID,Lead ID,Stage,Amount,Created Date,Close Date"


def _dbt(database, *args) -> subprocess.CompletedProcess:
    project = dbt_project.project_dir
    return subprocess.run(
        [DBT_EXECUTABLE, *args, "--vars", as_of_vars(SAMPLE_AS_OF), "--project-dir", str(project)]
        + ["--profiles-dir", str(project)],
        cwd=project,
        env={**os.environ, WAREHOUSE_PATH_VARIABLE: str(database), LANDING_DIR_VARIABLE: "unused"},
        capture_output=True,
        text=True,
    )


def test_every_raw_column_is_reconciled_with_staging():
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    reconciled = {
        tuple(node["test_metadata"]["kwargs"]["source_table"]): set(
            node["test_metadata"]["kwargs"]["columns"]
        )
        for node in manifest["nodes"].values()
        if node.get("test_metadata", {}).get("name") == "raw_values_reach_staging"
    }
    sources = {
        node["meta"]["dagster"]["asset_key"][1]: (node["source_name"], node["name"])
        for node in manifest["sources"].values()
    }
    assert len(reconciled) == len(RAW_EXPORTS) == 10
    for export in RAW_EXPORTS:
        missing = set(export.column_names) - reconciled[sources[export.table]]
        assert not missing, f"raw.{export.table}: {sorted(missing)} not reconciled with staging"


def test_values_the_loader_passes_reach_staging_and_the_rest_are_quarantined(
    scratch_warehouse, tmp_path, monkeypatch
):
    monkeypatch.setenv(MAX_BAD_ROW_SHARE_VARIABLE, "1")  # most lines here are meant to fail
    with duckdb.connect(str(scratch_warehouse), read_only=True) as connection:
        lead = connection.sql("select min(lead_id) from raw.crm_leads").fetchall()[0][0]
    amounts = [
        "5,000万円",
        "-5000000",
        "NaN",
        "Infinity",
        "-Infinity",
        "1e308",
        "-0",
        "非公開",
        "99999999999999999999",
    ]
    rows = [
        f'OX{n},{lead},Closed Won,"{amount}",2026/01/05 10:00,2026-02-26 09:26:00'
        for n, amount in enumerate(amounts)
    ]
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "crm_opportunities_extra.csv").write_text(
        "\n".join([OPPORTUNITY_HEADER, *rows]) + "\n", encoding="utf-8"
    )
    (landing / "marketing_spend_monthly_extra.csv").write_text(
        "Month,Channel,Spend (JPY)\n2026年1月,展示会X,1000\n2026-02,展示会X,1e3\n", encoding="utf-8"
    )
    with duckdb.connect(str(scratch_warehouse)) as connection:
        for export in (OPPORTUNITIES, SPEND):
            load_export(connection, export, landing)
        quarantined = dict(
            connection.sql(
                'select regexp_extract(original_text, \'"Amount":"([^"]*)"\', 1), reason '
                "from raw._quarantine where table_name = 'crm_opportunities'"
            ).fetchall()
        )
        spend_reasons = connection.sql(
            "select reason from raw._quarantine where table_name = 'marketing_spend_monthly'"
        ).fetchall()
    assert quarantined == {
        "-5000000": "amount: outside the range 0 to 1,000,000,000,000,000",
        "NaN": "amount: not a number",
        "Infinity": "amount: not a number",
        "-Infinity": "amount: not a number",
        "1e308": "amount: not a number",
        "99999999999999999999": "amount: not a number",
    }
    assert spend_reasons == [("spend_jpy: not a number",)]
    built = _dbt(scratch_warehouse, "build", "--select", "staging", "--exclude-resource-type", "unit_test")
    assert built.returncode == 0, built.stdout
    with duckdb.connect(str(scratch_warehouse), read_only=True) as connection:
        staged = dict(
            connection.sql(
                "select opportunity_id, amount_jpy from staging.stg_crm__opportunities "
                "where opportunity_id like 'OX%'"
            ).fetchall()
        )
        months = connection.sql(
            "select spend_month, spend_jpy from staging.stg_marketing__spend_monthly "
            "where channel = '展示会X'"
        ).fetchall()
        closed = connection.sql(
            "select distinct closed_date from staging.stg_crm__opportunities where opportunity_id like 'OX%'"
        ).fetchall()
    # A close date exported with a time keeps its date; unknown (非公開) is NULL, never a number.
    assert staged == {"OX0": 50_000_000, "OX6": 0, "OX7": None}
    assert [str(date) for (date,) in closed] == ["2026-02-26"]
    assert [(str(month), spend) for month, spend in months] == [("2026-01-01", 1000)]


def test_a_raw_value_staging_cannot_parse_fails_the_refresh(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as connection:
        # What a loader check that disagreed with staging would let through, in a later load (raw is
        # only ever appended to, and staging reads new loads): a text no format parses, so no parse.
        connection.execute(
            "insert into raw.crm_opportunities select * replace ('26 Feb 2018' as close_date, "
            "cast(null as date) as _parsed_close_date, _loaded_at + interval 1 day as _loaded_at) "
            "from raw.crm_opportunities "
            "where opportunity_id = (select min(opportunity_id) from raw.crm_opportunities)"
        )
    built = _dbt(
        scratch_warehouse,
        "build",
        "--select",
        "stg_crm__opportunities",
        "--exclude-resource-type",
        "unit_test",
    )
    assert built.returncode == 1
    assert "FAIL 1 raw_values_reach_staging_stg_crm__opportunities" in built.stdout
