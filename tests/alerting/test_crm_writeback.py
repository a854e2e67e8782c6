"""CRM write-back files: every lead the first time, nothing when no score field changed, and only the
changed lead after its score moved; each CRM's key and headers, values equal to the marts."""

import csv

import duckdb

from crm_writeback.writeback import write_back


def _read(path: str) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _files(result) -> dict[str, list[dict]]:
    return {path.rsplit("/", 1)[-1].split("_20")[0]: _read(path) for path in result.files}


def test_files_hold_the_leads_whose_score_fields_changed_since_the_last_write_back(
    scratch_warehouse, tmp_path
):
    folder, state = tmp_path / "writeback", tmp_path / "state.duckdb"
    with duckdb.connect(str(scratch_warehouse), read_only=True) as connection:
        scores = {
            lead_id: (score, grade, qualified)
            for lead_id, score, grade, qualified in connection.execute(
                "select lead_id, cast(round(total_score) as integer), fit_grade, is_score_qualified "
                "from marts.fct_lead_scores"
            ).fetchall()
        }
        [(with_email,)] = connection.execute(
            "select count(*) from marts.fct_lead_scores join staging.stg_crm__leads using (lead_id) "
            "where email is not null"
        ).fetchall()

    first = _files(write_back(scratch_warehouse, folder, state))
    assert sorted(first) == ["hubspot_contacts", "marketo_leads", "salesforce_leads"]
    assert len(first["hubspot_contacts"]) == len(first["salesforce_leads"]) == len(scores)
    assert len(first["marketo_leads"]) == with_email > 0
    for row in first["hubspot_contacts"]:
        score, grade, qualified = scores[row["Record ID"]]
        assert (row["Lead warehouse score"], row["Fit grade"]) == (str(score), grade or "")
        assert row["Score qualified"] == str(qualified).lower()
    assert {row["Id"] for row in first["salesforce_leads"]} == set(scores)

    unchanged = write_back(scratch_warehouse, folder, state)
    assert unchanged.changed_leads == 0 and unchanged.files == {}

    moved = min(scores)
    with duckdb.connect(str(scratch_warehouse)) as connection:
        connection.execute(
            "update marts.fct_lead_scores set total_score = total_score + 7 where lead_id = ?", [moved]
        )
    after = _files(write_back(scratch_warehouse, folder, state))
    [hubspot] = after["hubspot_contacts"]
    [salesforce] = after["salesforce_leads"]
    assert hubspot["Record ID"] == salesforce["Id"] == moved
    assert salesforce["Lead_Score__c"] == str(scores[moved][0] + 7)
    assert len(list(folder.glob("*.csv"))) == 6 and not list(folder.glob("*.partial"))
