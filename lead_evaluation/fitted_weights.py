"""Rule points fitted from outcomes: an L2-regularised logistic regression of won on the rule matrix
(each rule's evidence at the decision moment, training period only), its coefficients rescaled to each
component's current point range, written as seed CSVs with the same rule ids and columns as the
current ones, for an analytics engineer to diff, backtest and adopt."""

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from lead_evaluation.configs import RULE_SEEDS, current_config
from lead_evaluation.outcomes import InsufficientOutcomesError, mature_outcomes, time_split_date
from lead_evaluation.settings import EvaluationSettings
from lead_evaluation.warehouse import read_frame, replace_table

# Seed points must stay within the seeds' accepted range.
MAX_ABS_POINTS = 100


def fit_rule_coefficients(matrix: pd.DataFrame, won: pd.Series, regularization: float) -> pd.Series:
    """Log-odds per unit of evidence of each rule (columns of ``matrix``; rows aligned with ``won``)."""
    model = LogisticRegression(C=regularization, max_iter=5000)
    model.fit(matrix.to_numpy(float), won.astype(int).to_numpy())
    return pd.Series(model.coef_[0], index=matrix.columns)


def points_from_coefficients(
    coefficients: pd.Series, current_points: pd.Series, components: pd.Series, categories: pd.Series
) -> pd.Series:
    """Coefficients turned into whole points a rule table can hold.

    Demographic and BANT rules of one category are alternatives (one level fires), so only their
    differences carry information: a category whose current points are all >= 0 and whose weakest
    fitted rule is below 0 is shifted to put that rule at 0. Then each component is scaled so its
    strongest rule gets the component's largest current |points| (demographic and BANT scores are
    relative to their best points; behaviour keeps its current scale)."""
    fitted = coefficients.astype(float).copy()
    alternatives = components.isin(["demographic", "bant"])
    for category in categories[alternatives].unique():
        rules = categories.index[alternatives & (categories == category)]
        if (current_points[rules] >= 0).all() and fitted[rules].min() < 0:
            fitted[rules] -= fitted[rules].min()
    for component in components.unique():
        rules = components.index[components == component]
        strongest = fitted[rules].abs().max()
        fitted[rules] *= current_points[rules].abs().max() / strongest if strongest > 0 else 0.0
    return fitted.round().clip(-MAX_ABS_POINTS, MAX_ABS_POINTS).astype(int)


def fit_rule_points(connection: duckdb.DuckDBPyConnection, settings: EvaluationSettings) -> pd.DataFrame:
    """mart_fitted_rule_points: one row per rule in force today, current and suggested points."""
    outcomes = mature_outcomes(connection)
    split = time_split_date(outcomes, settings.prediction_test_share)
    train = outcomes[outcomes["decision_date"] < split].set_index("lead_id")
    if train["is_won"].nunique() < 2:
        raise InsufficientOutcomesError(
            f"Rule points cannot be fitted: the {len(train)} training leads (decided before {split}) "
            "are all won or all not won."
        )
    evidence = read_frame(
        connection,
        "select lead_id, rule_id, decayed_evidence from intermediate.int_lead_rule_evidence "
        "where scoring_moment = 'decision'",
    )
    matrix = evidence.pivot_table(
        index="lead_id", columns="rule_id", values="decayed_evidence", aggfunc="sum"
    )
    matrix = matrix.reindex(train.index).fillna(0.0)
    rules = current_config(connection).rules
    in_force = rules[rules["valid_to"].isna()].drop_duplicates("rule_id").set_index("rule_id")
    observed = [rule for rule in in_force.index if rule in matrix.columns and matrix[rule].gt(0).any()]
    coefficients = fit_rule_coefficients(
        matrix[observed], train["is_won"], settings.fitted_points_regularization
    )
    observed_rules = in_force.loc[observed]
    suggested = points_from_coefficients(
        coefficients, observed_rules["points"], observed_rules["score_component"], observed_rules["category"]
    )
    table = in_force[["score_component", "category", "points"]].rename(columns={"points": "current_points"})
    table["coefficient"] = coefficients
    table["suggested_points"] = suggested.reindex(table.index).fillna(table["current_points"]).astype(int)
    table["training_leads_with_rule"] = matrix.gt(0).sum().reindex(table.index).fillna(0).astype(int)
    table["training_won_with_rule"] = (
        matrix.gt(0).mul(train["is_won"].astype(int), axis=0).sum().reindex(table.index).fillna(0).astype(int)
    )
    table["fit_status"] = np.where(table["coefficient"].isna(), "no_evidence_kept_current", "fitted")
    table["training_until"] = split
    return table.reset_index()


def write_suggested_seeds(fitted: pd.DataFrame, seeds_dir: Path, out_dir: Path) -> list[Path]:
    """Copies of the current rule seeds with the suggested points on the rows in force; same ids, columns
    and order, so ``diff seeds/scoring/behavior_rules.csv <out>/behavior_rules.csv`` shows the change."""
    out_dir.mkdir(parents=True, exist_ok=True)
    points = fitted.set_index("rule_id")["suggested_points"]
    written = []
    for seed, _ in RULE_SEEDS.values():
        frame = pd.read_csv(seeds_dir / f"{seed}.csv", dtype=str, keep_default_na=False)
        in_force = frame["valid_to"].eq("") & frame["rule_id"].isin(points.index)
        frame.loc[in_force, "points"] = frame.loc[in_force, "rule_id"].map(points).astype(int).astype(str)
        path = out_dir / f"{seed}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


def publish_fitted_points(
    connection: duckdb.DuckDBPyConnection, fitted: pd.DataFrame, seeds_dir: Path, out_dir: Path
) -> tuple[int, list[Path]]:
    """marts.mart_fitted_rule_points and the suggested seed CSVs in ``out_dir``."""
    rows = replace_table(
        connection,
        "marts",
        "mart_fitted_rule_points",
        fitted,
        {"training_until": "date", "coefficient": "double"},
    )
    return rows, write_suggested_seeds(fitted, seeds_dir, out_dir)
