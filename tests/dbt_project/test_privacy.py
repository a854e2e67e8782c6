"""No personal data of leads reaches the marts BI reads; a salted key stands for the person."""

import json
import os
import subprocess

import duckdb

from export_loader.raw_exports import RAW_EXPORTS, RAW_EXPORTS_BY_TABLE
from export_loader.raw_load import load_export
from orchestration.project import DBT_EXECUTABLE, dbt_project
from scoring_udfs import privacy
from tests.conftest import SAMPLE_AS_OF, as_of_vars, run_dbt
from tests.fixtures.crm_exports import write_lead_list
from warehouse_core.settings import WAREHOUSE_PATH_VARIABLE


def test_no_mart_holds_a_leads_email_phone_or_name(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        connection.execute(
            "create temp table personal as select distinct value from (select unnest([email, phone, "
            "last_name || first_name, last_name || ' ' || first_name, first_name, last_name]) as value "
            "from staging.stg_crm__leads) where value is not null and length(value) > 1"
        )
        # Sales reps' names are there on purpose (by-rep views), and common names are shared by leads
        # and reps, so the rep name columns are left out of the comparison.
        columns = connection.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR' "
            "and column_name not in ('owner_name', 'user_name')"
        ).fetchall()
        leaks = []
        for table, column in columns:
            found = connection.execute(
                f'select count(*) from marts."{table}" where "{column}" in (select value from personal)'
            ).fetchall()[0][0]
            if found:
                leaks.append(f"{table}.{column}: {found}")
        emails = connection.execute(
            "select email from staging.stg_crm__leads where email is not null limit 1"
        ).fetchall()
        keys = dict(connection.execute("select lead_id, person_key from marts.dim_leads").fetchall())
        lead_with_email = connection.execute(
            "select lead_id, email from staging.stg_crm__leads where email is not null limit 1"
        ).fetchall()[0]
    assert len(columns) > 50 and emails
    assert not leaks, leaks
    assert keys[lead_with_email[0]] == privacy.person_key(lead_with_email[1])
    assert len(keys[lead_with_email[0]]) == 64 and lead_with_email[1] not in keys[lead_with_email[0]]


def test_the_person_key_depends_on_the_salt(monkeypatch):
    monkeypatch.setenv(privacy.SALT_VARIABLE, "one")
    first = privacy.person_key(" Taro@Example.co.jp ")
    assert first == privacy.person_key("taro@example.co.jp")
    monkeypatch.setenv(privacy.SALT_VARIABLE, "two")
    assert privacy.person_key("taro@example.co.jp") != first
    monkeypatch.delenv(privacy.SALT_VARIABLE)
    try:
        privacy.person_key("taro@example.co.jp")
    except privacy.MissingSaltError as error:
        assert "LEAD_WAREHOUSE_PII_SALT" in str(error)
    else:
        raise AssertionError("hashing without a salt must fail")


def test_a_list_without_ids_is_keyed_by_a_salted_hash_never_by_the_address(tmp_path):
    landing, database = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    write_lead_list(landing, with_ids=False)
    with duckdb.connect(str(database)) as connection:
        for export in RAW_EXPORTS:
            load_export(connection, export, landing)
    run_dbt(database, "build", "--vars", as_of_vars(SAMPLE_AS_OF))  # the marts' no_personal_data tests pass
    with duckdb.connect(str(database), read_only=True) as connection:
        keys = dict(connection.sql("select email, lead_id from staging.stg_crm__leads").fetchall())
        scored = {row[0] for row in connection.sql("select lead_id from marts.fct_lead_scores").fetchall()}
    assert keys["a@epsilon.co.jp"] == "P" + privacy.person_key("a@epsilon.co.jp")[:16]
    assert set(keys.values()) == scored and len(scored) == 3


def test_an_email_address_as_a_key_is_quarantined(tmp_path):
    (tmp_path / "crm_leads.csv").write_text(
        "Lead ID,Email,Created Date\n"
        + "".join(f"L{n},l{n}@x.jp,2026/01/01 09:00\n" for n in range(30))
        + "taro@x.jp,taro@x.jp,2026/01/01 09:00\n",
        encoding="utf-8",
    )
    with duckdb.connect() as connection:
        result = load_export(connection, RAW_EXPORTS_BY_TABLE["crm_leads"], tmp_path)
        [(reason,)] = connection.sql("select reason from raw._quarantine").fetchall()
    assert result.rows_loaded == 30 and reason.startswith("lead_id: an e-mail address cannot be a key")


def test_a_phone_number_reaching_a_mart_fails_the_refresh(scratch_warehouse):
    with duckdb.connect(str(scratch_warehouse)) as connection:
        # What a note that bypassed the scrubber would carry into the feedback mart.
        connection.execute(
            "update staging.stg_crm__bant_assessments set need_note = '折り返し 090-1234-5678' "
            "where bant_assessment_id = (select min(bant_assessment_id) "
            "from staging.stg_crm__bant_assessments where need_note is not null)"
        )
    project = dbt_project.project_dir
    built = subprocess.run(
        [DBT_EXECUTABLE, "build", "--select", "fct_sales_feedback_notes", "--vars", as_of_vars(SAMPLE_AS_OF)]
        + [
            "--exclude-resource-type",
            "unit_test",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
        ],
        cwd=project,
        env={**os.environ, WAREHOUSE_PATH_VARIABLE: str(scratch_warehouse)},
        capture_output=True,
        text=True,
    )
    assert built.returncode == 1
    assert "FAIL 1 no_personal_data_fct_sales_feedback_notes" in built.stdout


def test_every_mart_model_is_checked_for_personal_data_in_every_refresh():
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    marts = {
        node["unique_id"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    }
    checked = {
        node["attached_node"]
        for node in manifest["nodes"].values()
        if node.get("test_metadata", {}).get("name") == "no_personal_data"
    }
    assert len(marts) >= 20 and marts == checked
