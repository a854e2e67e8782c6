"""The statistics of an A/B test of scoring variants: a lead's fixed arm, and the comparison of two
arms' MQL-to-won conversion (statsmodels: two-proportion z-test, Newcomb interval, power; scipy:
sample-ratio chi-square) with a verdict that names a winner only when significant and powered."""

import hashlib
from dataclasses import dataclass

import numpy as np
from scipy.stats import chisquare
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

# A sample-ratio mismatch this unlikely means the assignment is broken, not unlucky.
SAMPLE_RATIO_MISMATCH_P = 0.001

VERDICTS_JA = {
    "assignment_mismatch": "割付比率の異常: 結果は無効です",
    "collecting_data": "データ収集中: 必要なMQL数に未達",
    "significant_but_underpowered": "有意差ありだが必要なMQL数に未達: 継続",
    "no_significant_difference": "有意差なし",
    "treatment_better": "テスト側が有意に良い",
    "control_better": "対照側が有意に良い",
}


def assignment_position(test_id: str, lead_id: str) -> float:
    """A lead's fixed position in [0, 1) for a test: the first 8 bytes of SHA-256 of "test_id:lead_id"."""
    digest = hashlib.sha256(f"{test_id}:{lead_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class ArmCounts:
    leads: int
    mqls: int
    mqls_won: int


@dataclass(frozen=True)
class Comparison:
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    required_mqls_per_arm: int | None
    sample_ratio_p_value: float
    verdict: str


def compare_arms(
    control: ArmCounts,
    treatment: ArmCounts,
    treatment_share: float,
    alpha: float,
    minimum_detectable_effect: float,
    power: float,
) -> Comparison:
    """Two-proportion z-test of MQL-to-won conversion, Newcomb interval of the difference, the MQLs per
    arm needed to detect ``minimum_detectable_effect`` with ``power``, and a sample-ratio check."""
    total = control.leads + treatment.leads
    sample_ratio_p = (
        float(
            chisquare(
                [treatment.leads, control.leads], [total * treatment_share, total * (1 - treatment_share)]
            ).pvalue
        )
        if total
        else 1.0
    )
    if total and sample_ratio_p < SAMPLE_RATIO_MISMATCH_P:
        return Comparison(None, None, None, None, None, sample_ratio_p, "assignment_mismatch")
    if min(control.mqls, treatment.mqls) == 0:
        return Comparison(None, None, None, None, None, sample_ratio_p, "collecting_data")
    control_rate = control.mqls_won / control.mqls
    difference = treatment.mqls_won / treatment.mqls - control_rate
    if control.mqls_won + treatment.mqls_won in (0, control.mqls + treatment.mqls):
        p_value, ci_low, ci_high = 1.0, difference, difference  # no variation: nothing to test
    else:
        p_value = float(
            proportions_ztest([treatment.mqls_won, control.mqls_won], [treatment.mqls, control.mqls])[1]
        )
        ci_low, ci_high = confint_proportions_2indep(
            treatment.mqls_won,
            treatment.mqls,
            control.mqls_won,
            control.mqls,
            method="newcomb",
            compare="diff",
            alpha=alpha,
        )
    target_rate = min(control_rate + minimum_detectable_effect, 1.0)
    effect = abs(proportion_effectsize(target_rate, control_rate))
    required = None
    if effect > 0:
        ratio = treatment_share / (1 - treatment_share)
        required = int(
            np.ceil(
                NormalIndPower().solve_power(
                    effect_size=effect, alpha=alpha, power=power, ratio=ratio, alternative="two-sided"
                )
            )
        )
        required = max(required, int(np.ceil(required * ratio)))
    powered = required is not None and min(control.mqls, treatment.mqls) >= required
    significant = p_value < alpha
    if significant and powered:
        verdict = "treatment_better" if difference > 0 else "control_better"
    elif significant:
        verdict = "significant_but_underpowered"
    elif powered:
        verdict = "no_significant_difference"
    else:
        verdict = "collecting_data"
    return Comparison(
        float(difference), float(ci_low), float(ci_high), p_value, required, sample_ratio_p, verdict
    )
