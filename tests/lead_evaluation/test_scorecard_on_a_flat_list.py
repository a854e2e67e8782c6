"""A flat lead list whose signal lives only in custom columns, refreshed and retrained as a user would
(python -m orchestration.refresh --retrain): the current rules cannot see the signal, the fitted
scorecard recovers it with a readable points table, and the planted leaks are caught."""

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from export_loader.raw_load import refresh_dbt_vars
from lead_evaluation.configs import config_from_directory, current_config
from lead_evaluation.rescoring import rescore
from lead_evaluation.scorecard import SEED_COLUMNS
from orchestration.project import dbt_project
from tests.conftest import run_dbt
from tests.fixtures.flat_list import write_flat_list_with_custom_signal
from tests.fixtures.refresh_runs import finish, refresh_environment, start_refresh

SEEDS = ("demographic_rules.csv", "integrated_weights.csv", "scoring_thresholds.csv")


@pytest.fixture(scope="module")
def flat_list_run(tmp_path_factory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("flat-list")
    landing, profiles = folder / "landing", folder / "profiles"
    write_flat_list_with_custom_signal(landing, profiles)
    environment = {**refresh_environment(folder, landing), "LEAD_WAREHOUSE_PROFILES_DIR": str(profiles)}
    log = folder / "refresh.log"
    code, output = finish(
        start_refresh(environment, log, arguments=("--as-of", "2026-06-30", "--retrain")), log
    )
    assert code == 0, output[-4000:]
    return (
        Path(environment["LEAD_WAREHOUSE_DUCKDB_PATH"]),
        Path(environment["LEAD_WAREHOUSE_REPORTS_DIR"]),
        output,
    )


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_the_scorecard_recovers_signal_the_current_rules_cannot_see(flat_list_run):
    database, _, output = flat_list_run
    test_auc = dict(_query(database, "select score_name, test_auc from marts.mart_backtest_summary"))
    assert abs(test_auc["current"] - 0.5) < 0.06
    assert test_auc["fitted_scorecard"] >= test_auc["predictive"] - 0.02
    assert test_auc["fitted_scorecard"] > 0.7
    [(rules,)] = _query(database, "select count(*) from marts.mart_scorecard_rules")
    assert 3 <= rules <= 40
    attributes = {a for (a,) in _query(database, "select distinct attribute from marts.mart_scorecard_rules")}
    assert {"occupation", "lead_origin", "total_time_spent"} <= attributes
    assert "fitted_scorecard" in output and "Fitted scorecard" in output


def test_each_rule_carries_the_evidence_it_rests_on(flat_list_run):
    database, reports, _ = flat_list_run
    [(rule_id, value, leads, won, until)] = _query(
        database,
        "select rule_id, value_text, training_leads, training_won, training_until "
        "from marts.mart_scorecard_rules where attribute = 'lead_origin' and value_text = 'Lead Add Form'",
    )
    # Recounted from the warehouse: training leads (decided before the test period) with that origin.
    [(expected_leads, expected_won)] = _query(
        database,
        "select count(*), count(*) filter (where o.is_won) from marts.fct_lead_outcomes as o "
        "inner join intermediate.int_lead_attributes as a on a.lead_id = o.lead_id "
        "and a.scoring_moment = 'decision' and a.attribute = 'lead_origin' "
        "and a.value_text = 'Lead Add Form' "
        f"where o.is_outcome_mature and o.decision_date < '{until}'",
    )
    assert (leads, won) == (expected_leads, expected_won) and leads > 0
    with (reports / "fitted_scorecard" / "demographic_rules.csv").open(encoding="utf-8") as seeds:
        rows = list(csv.DictReader(seeds))
    assert list(rows[0]) == SEED_COLUMNS
    assert any(row["rule_id"] == rule_id and row["value_text"] == value for row in rows)
    assert all(row["attribute"] not in {"tags", "lead_quality"} for row in rows)


def test_planted_leaks_are_caught_and_the_honest_field_is_kept(flat_list_run):
    database, _, _ = flat_list_run
    review = {
        feature: (status, reasons or "")
        for feature, status, reasons in _query(
            database, "select feature, status, reasons from marts.mart_model_features"
        )
    }
    assert review["tags"][0] == "excluded" and "fill_rate_gap_won_vs_lost" in review["tags"][1]
    assert review["lead_quality"][0] == "known_after_contact"
    assert review["last_notable_activity"] == ("used_flagged", review["last_notable_activity"][1])
    assert review["last_notable_activity"][1].startswith("suspicious_name")
    assert review["occupation"] == ("used", "")


def test_aggregates_declared_known_at_creation_score_the_decision_and_the_others_are_not_judged(
    flat_list_run,
):
    database, _, output = flat_list_run
    moments = {
        moment
        for (moment,) in _query(
            database,
            "select distinct scoring_moment from intermediate.int_lead_rule_evidence "
            "where rule_id = 'BEH-LIST-VISITS'",
        )
    }
    assert moments == {"decision", "as_of"}  # Visits: known: at_creation
    not_judged = [
        rule for (rule,) in _query(database, "select rule_id from marts.mart_backtest_rules_not_judged")
    ]
    assert not_judged == ["BEH-LIST-RECENT"]  # Last Activity Date: undeclared; no time-on-site column
    assert "Not judged: BEH-LIST-RECENT" in output


def test_the_scorecard_adopted_as_seeds_scores_in_dbt_as_the_backtest_scored_it(
    flat_list_run, tmp_path, monkeypatch
):
    database, reports, _ = flat_list_run
    project = tmp_path / "project"
    shutil.copytree(dbt_project.project_dir, project, ignore=shutil.ignore_patterns("target", "logs"))
    for name in SEEDS:  # adopting: the scorecard's CSVs in place of the seeds
        shutil.copy(reports / "fitted_scorecard" / name, project / "seeds" / "scoring" / name)
    adopted = Path(shutil.copyfile(database, tmp_path / "adopted.duckdb"))
    monkeypatch.setenv("LEAD_WAREHOUSE_PROFILES_DIR", str(database.parent / "profiles"))
    dbt_vars = json.dumps({**refresh_dbt_vars(), "scoring_as_of": "2026-06-30"})
    # The seeds and what is built on them (their data tests ran in the refresh; the scores are what counts).
    adopted_seeds = [f"{name.removesuffix('.csv')}+" for name in SEEDS]
    build = ("build", "--select", *adopted_seeds, "--exclude-resource-type", "test", "unit_test")
    run_dbt(adopted, *build, "--vars", dbt_vars, project_dir=project)
    with duckdb.connect(str(database), read_only=True) as connection:
        scorecard = config_from_directory(reports / "fitted_scorecard", current_config(connection))
        backtested = rescore(connection, [scorecard]).query("scoring_moment == 'decision'")
    built = dict(_query(adopted, "select lead_id, total_score from marts.fct_lead_outcomes"))
    differences = [
        r.lead_id for r in backtested.itertuples() if float(built[r.lead_id]) != float(r.total_score)
    ]
    assert len(built) == len(backtested) == 3000 and differences == []
    assert len(set(built.values())) > 20  # not a constant: the adopted rules rank leads
