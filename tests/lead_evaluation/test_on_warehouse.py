"""Evaluation on a warehouse built by dbt from generated exports (600 leads, as of 2026-06-30)."""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lead_evaluation import ab_testing, backtest, model_registry, predictions, predictive
from lead_evaluation.configs import config_from_directory, current_config, variant_configs
from lead_evaluation.outcomes import InsufficientOutcomesError
from lead_evaluation.rescoring import rescore
from lead_evaluation.settings import EvaluationSettings
from tests.conftest import SAMPLE_AS_OF, as_of_vars, run_dbt

SCORES = ["config_id", "lead_id", "scoring_moment", "total_score", "is_mql"]


def _connect(database: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(database), read_only=read_only)


def _dbt_scores(connection) -> pd.DataFrame:
    return connection.execute(
        "select lead_id, scoring_moment, total_score, is_mql from intermediate.int_lead_evaluation_moments"
    ).df()


def _compare(rescored: pd.DataFrame, dbt_scores: pd.DataFrame) -> pd.DataFrame:
    merged = rescored.merge(
        dbt_scores, on=["lead_id", "scoring_moment"], suffixes=("", "_dbt"), validate="1:1"
    )
    assert len(merged) == len(dbt_scores) > 0
    return merged[
        (merged["total_score"] != merged["total_score_dbt"]) | (merged["is_mql"] != merged["is_mql_dbt"])
    ]


def test_what_if_scoring_of_the_current_rules_reproduces_the_dbt_scores_to_the_cent(built_warehouse):
    with _connect(built_warehouse) as connection:
        rescored = rescore(connection, [current_config(connection)])
        assert _compare(rescored, _dbt_scores(connection)).empty


def _write_alternative_rules(folder: Path, seeds: Path) -> None:
    """Pricing views 10 -> 20 points, enterprise size 25 -> 10, behaviour weight 0.6 -> 0.7, threshold 70."""
    folder.mkdir(exist_ok=True)
    edits = {
        "behavior_rules.csv": (
            "BEH-WEB-PRICING,pricing,per_event,web,page_view,/pricing%,,,,,10,",
            "BEH-WEB-PRICING,pricing,per_event,web,page_view,/pricing%,,,,,20,",
        ),
        "demographic_rules.csv": (
            "DEM-EMP-HIGH,company_size,employee_count,between,,500,,25,",
            "DEM-EMP-HIGH,company_size,employee_count,between,,500,,10,",
        ),
        "integrated_weights.csv": (
            "bant_not_assessed,demographic,0.4,",
            "bant_not_assessed,demographic,0.3,",
        ),
        "scoring_thresholds.csv": ("mql_threshold,80,", "mql_threshold,70,"),
    }
    for name, (old, new) in edits.items():
        text = (seeds / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    weights = (folder / "integrated_weights.csv").read_text(encoding="utf-8")
    (folder / "integrated_weights.csv").write_text(
        weights.replace("bant_not_assessed,behavior,0.6,", "bant_not_assessed,behavior,0.7,"),
        encoding="utf-8",
    )


def test_what_if_scoring_of_other_rules_equals_a_dbt_build_with_those_seeds(
    built_warehouse, scratch_warehouse, scratch_project, tmp_path
):
    alternative = tmp_path / "alternative_rules"
    _write_alternative_rules(alternative, scratch_project / "seeds" / "scoring")
    with _connect(built_warehouse) as connection:
        config = config_from_directory(alternative, current_config(connection))
        rescored = rescore(connection, [config])
        current = _dbt_scores(connection)
    for path in alternative.iterdir():
        shutil.copy(path, scratch_project / "seeds" / "scoring" / path.name)
    run_dbt(
        scratch_warehouse,
        "build",
        "--select",
        "+int_lead_evaluation_moments",
        "--vars",
        as_of_vars(SAMPLE_AS_OF),
        project_dir=scratch_project,
    )
    with _connect(scratch_warehouse) as connection:
        rebuilt = _dbt_scores(connection)
    assert _compare(rescored, rebuilt).empty
    changed = current.merge(rebuilt, on=["lead_id", "scoring_moment"])
    assert (changed["total_score_x"] != changed["total_score_y"]).sum() > 100  # the edits do move scores


def test_a_rules_folder_without_a_needed_column_is_refused_with_its_name(built_warehouse, tmp_path):
    (tmp_path / "behavior_rules.csv").write_text(
        "rule_id,category,valid_from,valid_to\nX,pricing,2020-01-01,\n"
    )
    with (
        _connect(built_warehouse) as connection,
        pytest.raises(ValueError, match=r"behavior_rules.csv lacks.*points"),
    ):
        config_from_directory(tmp_path, current_config(connection))


def _add_demo_request(database: Path, lead_id: str, when: str) -> None:
    with _connect(database, read_only=False) as connection:
        connection.execute(
            "insert into raw.ma_activities "
            "(activity_id, lead_id, activity_type, activity_date, web_page_url) "
            "values ('LATE-DEMO', $lead, 'Fill Out Form', $at, 'https://www.example-vendor.co.jp/demo-request')",
            {"lead": lead_id, "at": when},
        )


def test_an_event_after_the_decision_moment_cannot_change_a_backtest_score(scratch_warehouse):
    with _connect(scratch_warehouse) as connection:
        configs = [current_config(connection), *variant_configs(connection, current_config(connection))]
        before = rescore(connection, configs)
        [(lead,)] = connection.execute(
            "select lead_id from intermediate.int_lead_evaluation_moments where scoring_moment = 'decision' "
            "and as_of_date < date '2026-05-01' and not is_disqualified and total_score < 40 "
            "order by lead_id limit 1"
        ).fetchall()
    _add_demo_request(scratch_warehouse, lead, "2026-06-10 10:00:00")
    run_dbt(
        scratch_warehouse,
        "build",
        "--select",
        "+int_lead_rule_evidence",
        "+int_lead_evaluation_moments",
        "--vars",
        as_of_vars(SAMPLE_AS_OF),
    )
    with _connect(scratch_warehouse) as connection:
        after = rescore(connection, configs)
    decision_before = before[before["scoring_moment"] == "decision"].reset_index(drop=True)
    decision_after = after[after["scoring_moment"] == "decision"].reset_index(drop=True)
    pd.testing.assert_frame_equal(decision_before[SCORES], decision_after[SCORES])

    def as_of_score(scores: pd.DataFrame) -> float:
        row = (
            (scores["scoring_moment"] == "as_of")
            & (scores["lead_id"] == lead)
            & (scores["config_id"] == "current")
        )
        return float(scores.loc[row, "total_score"].iloc[0])

    assert as_of_score(after) > as_of_score(before)  # the event did count, from its own date on


def test_backtest_of_the_current_rules_reconciles_with_the_band_conversion_mart(built_warehouse):
    with _connect(built_warehouse) as connection:
        result = backtest.run_backtest(connection, EvaluationSettings())
        mart = connection.execute("select score_band, leads, won from marts.mart_score_band_conversion").df()
        mature = connection.execute(
            "select count(*), count(*) filter (where is_won) from marts.fct_lead_outcomes "
            "where is_outcome_mature"
        ).fetchall()[0]
    summary = result.summary.set_index("score_name")
    assert list(summary.index) == ["current", "engagement_heavy", "fit_heavy"]
    assert (summary["leads"] == mature[0]).all() and (summary["won"] == mature[1]).all()
    current_bands = result.bands[result.bands["score_name"] == "current"].merge(mart, on="score_band")
    assert (current_bands["leads_x"] == current_bands["leads_y"]).all()
    assert (current_bands["won_x"] == current_bands["won_y"]).all()
    deciles = result.deciles[result.deciles["score_name"] == "current"]
    assert deciles["leads"].sum() == mature[0] and deciles["won"].sum() == mature[1]
    assert 0.5 < summary.loc["current", "auc"] <= 1


def test_ab_test_of_two_identical_variants_finds_no_difference(scratch_warehouse):
    with _connect(scratch_warehouse, read_only=False) as connection:
        connection.execute(
            "insert into seeds.scoring_variants values ('same_as_current', null, 'Copy', 'コピー')"
        )
        connection.execute("delete from seeds.ab_tests")
        connection.execute(
            "insert into seeds.ab_tests values "
            "('identical', 'current', 'same_as_current', 0.5, date '2025-01-01', "
            "null, 0.05, 0.05, 0.8, 'A/A test', 'A/Aテスト')"
        )
        tables = ab_testing.run_ab_tests(connection)
        eligible = connection.execute(
            "select count(*) from marts.fct_lead_outcomes where created_date >= date '2025-01-01'"
        ).fetchall()[0][0]
    assignments, [result] = (
        tables["mart_ab_test_assignments"],
        tables["mart_ab_test_results"].to_dict("records"),
    )
    assert len(assignments) == eligible == tables["mart_ab_test_arms"]["leads"].sum()
    assert set(assignments["arm"]) == {"control", "treatment"}
    assert result["verdict"] not in ("treatment_better", "control_better")
    assert result["p_value"] is None or result["p_value"] > 0.05


def test_the_model_refuses_to_train_on_too_few_outcomes(built_warehouse):
    with _connect(built_warehouse) as connection, pytest.raises(InsufficientOutcomesError) as refusal:
        predictive.train_models(connection, EvaluationSettings())
    message = str(refusal.value)
    assert "Not enough outcomes to train" in message and "at least 500 leads and 50 won" in message


def test_model_trains_registers_and_predicts_every_lead(scratch_warehouse, tmp_path):
    settings = EvaluationSettings(prediction_min_positive_outcomes=5, prediction_min_training_leads=50)
    with _connect(scratch_warehouse, read_only=False) as connection:
        models = predictive.train_models(connection, settings)
        model_registry.save_and_register(connection, models, tmp_path / "models")
        reloaded = model_registry.load_models(model_registry.deployed_model_path(connection))
        predicted = predictions.predict(connection, reloaded, reloaded.deployed_version, blend_weight=0.3)
        moments = connection.execute(
            "select count(*) from intermediate.int_lead_evaluation_moments"
        ).fetchall()[0][0]
        registry = connection.execute(
            "select model_kind, is_deployed, test_leads from ml.model_registry"
        ).df()
    assert len(predicted) == moments
    assert predicted["predicted_probability"].between(0, 1).all()
    assert predicted["predictive_score"].between(0, 100).all()
    expected = (0.7 * predicted["rule_score"] + 0.3 * predicted["predictive_score"]).round(2)
    assert (predicted["blended_score"] - expected).abs().max() < 1e-9
    assert sorted(registry["model_kind"]) == ["gradient_boosting", "logistic_regression"]
    assert registry["is_deployed"].sum() == 1 and (registry["test_leads"] > 0).all()
    assert predicted["top_contributions"].notna().mean() > 0.5
