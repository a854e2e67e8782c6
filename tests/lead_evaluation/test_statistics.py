"""The statistics of evaluation on hand-made inputs: A/B verdicts, assignment, metrics, the leakage
guard, fitted points and settings."""

import numpy as np
import pandas as pd
import pytest

from lead_evaluation import metrics
from lead_evaluation.ab_statistics import ArmCounts, assignment_position, compare_arms
from lead_evaluation.features import FeatureFrame, leakage_findings
from lead_evaluation.fitted_weights import fit_rule_coefficients, points_from_coefficients
from lead_evaluation.settings import EvaluationSettings

TEST = {"treatment_share": 0.5, "alpha": 0.05, "minimum_detectable_effect": 0.05, "power": 0.8}


def test_identical_arms_show_no_significant_difference():
    arm = ArmCounts(leads=20_000, mqls=2_000, mqls_won=300)
    result = compare_arms(arm, arm, **TEST)
    assert result.verdict == "no_significant_difference"
    assert result.difference == 0 and result.p_value == pytest.approx(1.0)
    assert result.ci_low < 0 < result.ci_high


def test_a_planted_difference_is_detected_and_named():
    control = ArmCounts(leads=20_000, mqls=2_000, mqls_won=300)  # 15% of MQLs won
    treatment = ArmCounts(leads=20_000, mqls=2_000, mqls_won=400)  # 20%
    result = compare_arms(control, treatment, **TEST)
    assert result.verdict == "treatment_better"
    assert result.p_value < 0.001
    assert result.difference == pytest.approx(0.05)
    assert 0 < result.ci_low < 0.05 < result.ci_high


def test_no_winner_is_named_before_the_sample_is_large_enough():
    control, treatment = ArmCounts(400, 40, 4), ArmCounts(400, 40, 14)  # 10% vs 35%: significant, but 40 MQLs
    result = compare_arms(control, treatment, **TEST)
    assert result.p_value < 0.05
    assert result.required_mqls_per_arm > 40
    assert result.verdict == "significant_but_underpowered"
    assert compare_arms(ArmCounts(400, 40, 4), ArmCounts(400, 40, 5), **TEST).verdict == "collecting_data"


def test_required_sample_matches_the_textbook_figure():
    # 15% -> 20% at alpha 0.05 and power 0.8 needs about 906 per arm (Cohen's h = 0.1318).
    result = compare_arms(ArmCounts(5_000, 500, 75), ArmCounts(5_000, 500, 75), **TEST)
    assert 900 <= result.required_mqls_per_arm <= 910


def test_a_broken_split_is_reported_instead_of_a_verdict():
    result = compare_arms(ArmCounts(10_000, 1_000, 150), ArmCounts(11_000, 1_000, 250), **TEST)
    assert result.verdict == "assignment_mismatch" and result.p_value is None


def test_assignment_is_deterministic_uniform_and_specific_to_the_test():
    leads = [f"L{number:08d}" for number in range(20_000)]
    positions = np.array([assignment_position("test-a", lead) for lead in leads])
    assert positions.tolist() == [assignment_position("test-a", lead) for lead in leads]
    assert ((positions >= 0) & (positions < 1)).all()
    assert abs((positions < 0.3).mean() - 0.3) < 0.015
    other = np.array([assignment_position("test-b", lead) for lead in leads])
    assert abs(np.corrcoef(positions, other)[0, 1]) < 0.05


def test_deciles_lift_and_precision_recall_on_a_hand_made_ranking():
    score = pd.Series(range(100, 0, -1), dtype=float)  # 100 leads, best first
    won = pd.Series([1] * 10 + [0] * 80 + [1] * 10)  # the top tenth and the bottom tenth won
    table = metrics.deciles(won, score)
    assert table["leads"].tolist() == [10] * 10
    assert table.loc[0, "lift"] == pytest.approx(5.0)  # 100% vs 20% overall
    assert table["cumulative_won_share"].tolist()[0] == pytest.approx(0.5)
    assert metrics.auc(won, score) == pytest.approx(0.5)
    assert metrics.precision_recall(won, score > 90) == (1.0, 0.5)
    assert metrics.auc(pd.Series([0, 0]), pd.Series([1.0, 2.0])) is None


def test_calibration_of_a_perfectly_calibrated_probability_is_near_zero():
    generator = np.random.default_rng(3)
    probability = generator.uniform(0, 0.4, 50_000)
    won = pd.Series(generator.uniform(0, 1, 50_000) < probability)
    table, brier, error = metrics.calibration(won, probability, bins=10)
    assert len(table) == 10 and table["leads"].sum() == 50_000
    assert error < 0.01
    assert brier == pytest.approx(np.mean((won.astype(int) - probability) ** 2))


def _feature_frame(size=2_000, seed=5):
    generator = np.random.default_rng(seed)
    won = pd.Series(generator.uniform(0, 1, size) < 0.1, index=[f"L{i}" for i in range(size)]).astype(int)
    decision = pd.Series(pd.Timestamp("2026-01-15"), index=won.index)
    frame = pd.DataFrame(index=won.index)
    frame["behavior_score"] = generator.normal(30, 10, size) + 8 * won  # a real, moderate signal
    frame["noise"] = generator.normal(0, 1, size)
    # Planted: the CRM's deal stage today, which names the outcome.
    frame["deal_stage"] = np.where(
        won == 1, "受注", np.where(generator.uniform(0, 1, size) < 0.05, "受注", "失注")
    )
    # Planted: a contract date, known only after the decision for the won leads.
    frame["contract_date"] = np.where(won == 1, "2026/03/01", None)
    frame["industry"] = generator.choice(["製造", "IT", "金融"], size)
    features = FeatureFrame(
        frame,
        ["behavior_score", "noise"],
        ["deal_stage", "industry"],
        ["contract_date"],
        attributes=["deal_stage", "contract_date", "industry"],
        custom_attributes=frozenset({"deal_stage", "contract_date"}),
    )
    return features, won, decision


def test_leakage_guard_flags_planted_leaky_columns_only():
    features, won, decision = _feature_frame()
    findings = {f.feature: f for f in leakage_findings(features, won, decision, 0.9, 0.01)}
    assert set(findings) == {"deal_stage", "contract_date"}
    assert findings["deal_stage"].reason == "single_feature_auc" and findings["deal_stage"].value > 0.9
    assert findings["contract_date"].reason == "recorded_after_decision"
    assert findings["contract_date"].value == pytest.approx(won.mean())
    # With the fill-rate check on: a date filled only for won leads differs by far more than 0.3, and a
    # custom column named like a deal stage is flagged by name; the industry stays clean.
    reasons = {(f.feature, f.reason) for f in leakage_findings(features, won, decision, 0.9, 0.01, None, 0.3)}
    assert {("contract_date", "fill_rate_gap_won_vs_lost"), ("deal_stage", "suspicious_name")} <= reasons
    assert not {feature for feature, _ in reasons} - {"deal_stage", "contract_date"}


def test_fitted_points_rank_a_planted_strong_signal_above_noise():
    generator = np.random.default_rng(8)
    size = 5_000
    matrix = pd.DataFrame(
        {
            "BEH-STRONG": generator.poisson(0.5, size).astype(float),
            "BEH-NOISE-1": generator.poisson(0.5, size).astype(float),
            "BEH-NOISE-2": generator.poisson(2.0, size).astype(float),
            "DEM-FIT": generator.integers(0, 2, size).astype(float),
        }
    )
    logit = -3.5 + 1.2 * matrix["BEH-STRONG"] + 0.6 * matrix["DEM-FIT"]
    won = pd.Series(generator.uniform(0, 1, size) < 1 / (1 + np.exp(-logit)))
    coefficients = fit_rule_coefficients(matrix, won, regularization=1.0)
    assert coefficients["BEH-STRONG"] == pytest.approx(1.2, abs=0.15)
    assert coefficients["BEH-STRONG"] > 5 * max(
        abs(coefficients["BEH-NOISE-1"]), abs(coefficients["BEH-NOISE-2"])
    )
    current = pd.Series({"BEH-STRONG": 5, "BEH-NOISE-1": 10, "BEH-NOISE-2": 3, "DEM-FIT": 25})
    components = pd.Series(
        {
            "BEH-STRONG": "behavior",
            "BEH-NOISE-1": "behavior",
            "BEH-NOISE-2": "behavior",
            "DEM-FIT": "demographic",
        }
    )
    categories = pd.Series({"BEH-STRONG": "a", "BEH-NOISE-1": "b", "BEH-NOISE-2": "c", "DEM-FIT": "fit"})
    points = points_from_coefficients(coefficients, current, components, categories)
    assert points["BEH-STRONG"] == 10  # the strongest behaviour rule takes the largest current |points|
    assert abs(points["BEH-NOISE-1"]) <= 1 and abs(points["BEH-NOISE-2"]) <= 1
    assert points["DEM-FIT"] == 25


def test_settings_are_typed_and_a_misspelt_setting_is_an_error():
    settings = EvaluationSettings.from_rows(
        {
            "prediction_min_positive_outcomes": "80",
            "prediction_allowed_features": "crm_status | contract_date",
            "prediction_excluded_features": float("nan"),  # an empty cell, as pandas reads it
        }
    )
    assert settings.prediction_min_positive_outcomes == 80
    assert settings.prediction_allowed_features == ("crm_status", "contract_date")
    assert settings.prediction_excluded_features == ()
    with pytest.raises(ValueError, match="prediction_min_positive_outcome"):
        EvaluationSettings.from_rows({"prediction_min_positive_outcome": "80"})
