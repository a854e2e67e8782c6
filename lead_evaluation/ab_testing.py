"""A/B tests of scoring variants (seed ab_tests): deterministic assignment, per-arm outcomes, and a
verdict from a two-proportion test that names a winner only once it is significant and powered.

The metric is MQL-to-won conversion: both arms see the same kind of leads (random assignment), and
the variants differ in which of them they hand to sales, so the better variant is the one whose MQLs
are won more often. Statistics come from statsmodels and scipy.
"""

import hashlib
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import chisquare
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize, proportions_ztest

from lead_evaluation.configs import CURRENT, current_config, variant_configs
from lead_evaluation.rescoring import rescore
from lead_evaluation.warehouse import read_frame, replace_table

# A sample-ratio mismatch this unlikely means the assignment is broken, not unlucky.
SAMPLE_RATIO_MISMATCH_P = 0.001

TABLE_NAMES = ["mart_ab_test_assignments", "mart_ab_test_arms", "mart_ab_test_results"]

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


def _assignments(test, leads: pd.DataFrame) -> pd.DataFrame:
    eligible = leads[leads["created_date"] >= test.start_date]
    if pd.notna(test.end_date):
        eligible = eligible[eligible["created_date"] < test.end_date]
    positions = np.fromiter(
        (assignment_position(test.test_id, lead) for lead in eligible["lead_id"]), float, count=len(eligible)
    )
    is_treatment = positions < test.treatment_share
    return eligible.assign(
        test_id=test.test_id,
        arm=np.where(is_treatment, "treatment", "control"),
        variant_id=np.where(is_treatment, test.treatment_variant, test.control_variant),
    )


def run_ab_tests(connection: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart_ab_test_assignments, mart_ab_test_arms and mart_ab_test_results for each test of seed ab_tests."""
    tests = read_frame(connection, "select * from seeds.ab_tests order by test_id")
    base = current_config(connection)
    configs = {config.config_id: config for config in [base, *variant_configs(connection, base)]}
    unknown = sorted(set(tests["control_variant"]).union(tests["treatment_variant"]) - set(configs))
    if unknown:
        raise ValueError(
            f"Seed ab_tests names unknown variant(s) {', '.join(unknown)}: use {CURRENT} or a "
            "variant_id of seed scoring_variants."
        )
    needed = sorted(set(tests["control_variant"]).union(tests["treatment_variant"]))
    scores = rescore(connection, [configs[variant] for variant in needed]) if needed else pd.DataFrame()
    leads = read_frame(
        connection, "select lead_id, created_date, is_outcome_mature, is_won from marts.fct_lead_outcomes"
    )
    assignments, arms, results = [], [], []
    for test in tests.itertuples():
        assigned = _assignments(test, leads)
        for moment in ("decision", "as_of"):
            moment_scores = scores[scores["scoring_moment"] == moment][
                ["config_id", "lead_id", "total_score", "is_mql"]
            ]
            assigned = assigned.merge(
                moment_scores.rename(
                    columns={
                        "config_id": "variant_id",
                        "total_score": f"{moment}_score",
                        "is_mql": f"is_mql_at_{moment}",
                    }
                ),
                on=["variant_id", "lead_id"],
                how="left",
            )
        assignments.append(assigned)
        counts = {}
        for arm in ("control", "treatment"):
            in_arm = assigned[assigned["arm"] == arm]
            mature = in_arm[in_arm["is_outcome_mature"]]
            mqls = mature[mature["is_mql_at_decision"].astype(bool)]
            counts[arm] = ArmCounts(len(in_arm), len(mqls), int(mqls["is_won"].sum()))
            arms.append(
                {
                    "test_id": test.test_id,
                    "arm": arm,
                    "variant_id": in_arm["variant_id"].iloc[0]
                    if len(in_arm)
                    else getattr(test, f"{arm}_variant"),
                    "leads": len(in_arm),
                    "mature_leads": len(mature),
                    "mature_won": int(mature["is_won"].sum()),
                    "lead_to_won_rate": mature["is_won"].mean() if len(mature) else None,
                    "mqls": len(mqls),
                    "mqls_won": counts[arm].mqls_won,
                    "mql_to_won_rate": counts[arm].mqls_won / len(mqls) if len(mqls) else None,
                }
            )
        comparison = compare_arms(
            counts["control"],
            counts["treatment"],
            test.treatment_share,
            test.alpha,
            test.minimum_detectable_effect,
            test.power,
        )
        results.append(
            {
                "test_id": test.test_id,
                "control_variant": test.control_variant,
                "treatment_variant": test.treatment_variant,
                "start_date": pd.Timestamp(test.start_date).date(),
                "alpha": test.alpha,
                "difference_mql_to_won": comparison.difference,
                "difference_ci_low": comparison.ci_low,
                "difference_ci_high": comparison.ci_high,
                "p_value": comparison.p_value,
                "required_mqls_per_arm": comparison.required_mqls_per_arm,
                "control_mqls": counts["control"].mqls,
                "treatment_mqls": counts["treatment"].mqls,
                "sample_ratio_p_value": comparison.sample_ratio_p_value,
                "verdict": comparison.verdict,
                "verdict_ja": VERDICTS_JA[comparison.verdict],
            }
        )
    columns = [
        "test_id",
        "lead_id",
        "arm",
        "variant_id",
        "created_date",
        "decision_score",
        "is_mql_at_decision",
        "as_of_score",
        "is_mql_at_as_of",
        "is_outcome_mature",
        "is_won",
    ]
    return {
        "mart_ab_test_assignments": pd.concat(assignments, ignore_index=True)[columns]
        if assignments
        else pd.DataFrame(columns=columns),
        "mart_ab_test_arms": pd.DataFrame(arms),
        "mart_ab_test_results": pd.DataFrame(results),
    }


COLUMN_TYPES = {
    "created_date": "date",
    "start_date": "date",
    "decision_score": "double",
    "as_of_score": "double",
    "is_mql_at_decision": "boolean",
    "is_mql_at_as_of": "boolean",
    "lead_to_won_rate": "double",
    "mql_to_won_rate": "double",
    "difference_mql_to_won": "double",
    "difference_ci_low": "double",
    "difference_ci_high": "double",
    "p_value": "double",
    "required_mqls_per_arm": "bigint",
}


def publish_ab_tests(
    connection: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> dict[str, int]:
    return {
        name: replace_table(connection, "marts", name, frame, COLUMN_TYPES) for name, frame in tables.items()
    }
