"""The scorecard's parts on hand-made inputs: bins, pooling, matching as dbt matches, information value
and the component weights."""

import math

import numpy as np
import pandas as pd
import pytest

from lead_evaluation.features import FeatureFrame, flag_close_to_model
from lead_evaluation.scorecard import Bin, _weights, category_bins, information_value, numeric_bins
from lead_evaluation.settings import EvaluationSettings


def test_rare_values_are_pooled_and_a_missing_value_gets_no_rule():
    values = pd.Series(["A"] * 50 + ["b"] * 30 + ["B"] * 10 + ["x"] * 6 + ["y"] * 5 + [None] * 20)
    bins = category_bins("plan", values, min_leads=10)
    assert bins == [
        Bin("plan", "equals", value_text="A"),
        Bin("plan", "equals", value_text="b"),  # "b" and "B" are one value, spelt as most leads spell it
        Bin("plan", "in", value_text="x|y"),  # 6 + 5 rare leads pooled: 11 >= 10
    ]
    assert bins[1].matches(pd.Series(["B", "b", "c", None])).tolist() == [True, True, False, False]


def test_ranges_match_as_dbt_does_lower_bound_inclusive_upper_exclusive():
    middle = Bin("employees", "between", value_min=100.0, value_max=500.0)
    assert middle.matches(pd.Series([99.9, 100, 499.9, 500, None])).tolist() == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert Bin("employees", "between", value_max=100.0).describe() == "< 100"
    assert Bin("revenue", "between", value_min=1e9).describe() == ">= 1,000,000,000"


def test_a_step_in_the_won_rate_is_found_and_noise_is_not_cut():
    rng = np.random.default_rng(0)
    values = pd.Series(rng.uniform(0, 100, 4000))
    won = pd.Series((rng.random(4000) < np.where(values >= 60, 0.5, 0.1)).astype(int))
    bins = numeric_bins("visits", values, won, EvaluationSettings(), min_leads=200)
    cuts = sorted({b.value_min for b in bins if b.value_min is not None})
    assert len(cuts) == 1 and abs(cuts[0] - 60) < 2
    noise = pd.Series((rng.random(4000) < 0.2).astype(int))
    assert numeric_bins("visits", values, noise, EvaluationSettings(), min_leads=200) == []


def test_information_value_by_hand():
    # Bin A: 30 won, 70 lost; no bin matched: 10 won, 90 lost (half a lead smooths each cell).
    values = pd.Series(["A"] * 100 + [None] * 100)
    won = pd.Series([1] * 30 + [0] * 70 + [1] * 10 + [0] * 90)
    shares_won = np.array([10.5, 30.5]) / 41
    shares_lost = np.array([90.5, 70.5]) / 161
    expected = float(((shares_won - shares_lost) * np.log(shares_won / shares_lost)).sum())
    assert information_value([Bin("plan", "equals", value_text="A")], values, won) == pytest.approx(expected)


def test_component_weights_follow_the_log_odds_one_point_is_worth():
    rules = pd.DataFrame({"category": ["fit_a", "fit_a", "fit_b"], "points": [100, 40, -20]})
    coefficients = pd.Series({"behavior_score": 2.0, "bant_score": -1.0})
    weights = _weights(rules, coefficients, scale=50.0)
    assessed = weights[weights["weight_set"] == "bant_assessed"].set_index("score_component")["weight"]
    # demographic: full points 100 (fit_b has no positive rule) / 100 / 50 = 0.02; behaviour 2 / 100 = 0.02;
    # BANT's negative coefficient counts 0.
    assert assessed.to_dict() == {"demographic": 0.5, "behavior": 0.5, "bant": 0.0}
    assert set(weights.loc[weights["weight_set"] == "bant_not_assessed", "score_component"]) == {
        "demographic",
        "behavior",
    }
    assert math.isclose(assessed.sum(), 1.0)


def test_a_field_that_alone_does_the_model_s_work_is_flagged_not_excluded():
    rng = np.random.default_rng(3)
    won = pd.Series((rng.random(2000) < 0.3).astype(int), index=[f"L{i}" for i in range(2000)])
    frame = pd.DataFrame(
        {
            "stage_memo": np.where(won == 1, rng.normal(1.0, 0.5, 2000), rng.normal(0.0, 0.5, 2000)),
            "region": rng.choice(["東日本", "西日本"], 2000),
        },
        index=won.index,
    )
    features = FeatureFrame(frame, ["stage_memo"], ["region"], [], ["stage_memo", "region"])
    review = pd.DataFrame(
        {"feature": ["stage_memo", "region"], "status": ["used", "used"], "reasons": [None, None]}
    )
    flagged = flag_close_to_model(review, features, won, model_auc=0.93, margin=0.02).set_index("feature")
    assert flagged.loc["stage_memo", "status"] == "used_flagged"
    assert flagged.loc["stage_memo", "reasons"].startswith("single_feature_auc_close_to_model=0.9")
    assert flagged.loc["region", "status"] == "used"  # about 0.5 alone
