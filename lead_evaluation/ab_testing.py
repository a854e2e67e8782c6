"""A/B tests of scoring variants (seed ab_tests): deterministic assignment, per-arm outcomes, and a
verdict from a two-proportion test that names a winner only once it is significant and powered.

The metric is MQL-to-won conversion: both arms see the same kind of leads (random assignment), and
the variants differ in which of them they hand to sales, so the better variant is the one whose MQLs
are won more often. Statistics come from statsmodels and scipy.
"""

import duckdb
import numpy as np
import pandas as pd

from lead_evaluation.ab_statistics import VERDICTS_JA, ArmCounts, assignment_position, compare_arms
from lead_evaluation.configs import CURRENT, current_config, variant_configs
from lead_evaluation.rescoring import rescore
from lead_evaluation.warehouse import read_frame, replace_table

TABLE_NAMES = ["mart_ab_test_assignments", "mart_ab_test_arms", "mart_ab_test_results"]


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
                        "is_mql": f"is_score_qualified_at_{moment}",
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
            mqls = mature[mature["is_score_qualified_at_decision"].astype(bool)]
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
        "is_score_qualified_at_decision",
        "as_of_score",
        "is_score_qualified_at_as_of",
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
    "is_score_qualified_at_decision": "boolean",
    "is_score_qualified_at_as_of": "boolean",
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
