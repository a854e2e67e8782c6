"""The fitted scorecard: an additive points table learned from outcomes, over every attribute known at
the decision moment (built-in and the profiles' custom columns), written as rule seed CSVs an analytics
engineer can read, diff, backtest and adopt like any rule set.

- Numeric attributes are cut into ranges by a shallow scikit-learn decision tree on the training leads
  (supervised cut points, each range holding at least ``scorecard_min_bin_share`` of them), rounded to
  three significant digits so that a rule reads like one a person would write.
- Categorical attributes keep each frequent value as its own rule and pool the rare ones into one
  ``in`` rule. A missing value is never a rule: it scores 0, the reference every other point is
  relative to (unknown is not a value), so points may be negative.
- A logistic regression (scikit-learn, L2) of won on the rule indicators, with the current behaviour
  and BANT scores beside them, gives each rule's log-odds; they become whole points (the strongest
  rule 100), and the fitted weights of the demographic (= scorecard), behaviour and BANT components
  keep the 0-100 scale: the total score ranks leads as the regression does, up to the clamp at 0.
- At most ``scorecard_max_rules`` rules: the attribute that moves the fitted log-odds least is left out
  and the rest refitted until the table fits.

scikit-learn does the binning and the fit (a maintained library we already depend on); optbinning's
scorecard would need OR-Tools, a large native dependency, for the same tree-then-merge binning here.
"""

from dataclasses import dataclass
from math import floor, log10
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from lead_evaluation.configs import WEIGHT_COLUMNS, config_with_demographic_rules, current_config
from lead_evaluation.features import load_features, review_features
from lead_evaluation.outcomes import mature_outcomes, time_split_date
from lead_evaluation.predictive import check_enough_outcomes
from lead_evaluation.rescoring import rescore
from lead_evaluation.settings import EvaluationSettings
from lead_evaluation.warehouse import read_frame, replace_table

SCORECARD = "fitted_scorecard"
SEED_COLUMNS = [
    "rule_id",
    "category",
    "attribute",
    "operator",
    "value_text",
    "value_min",
    "value_max",
    "points",
    "description_en",
    "label_ja",
    "valid_from",
    "valid_to",
]
EVIDENCE_COLUMNS = ["training_leads", "training_won", "share_of_training_leads", "won_rate", "coefficient"]
COMPONENTS = ("behavior", "bant")  # the current rules' components the scorecard weighs beside its own
MAX_POINTS = 100
FEATURE_KINDS = ("built_in_attribute", "custom_attribute")
HALVES_SEED = 20260531  # any fixed seed: the same halves on every run


@dataclass(frozen=True)
class Bin:
    attribute: str
    operator: str  # between, equals or in: the demographic rules' operators
    value_text: str | None = None
    value_min: float | None = None
    value_max: float | None = None

    def matches(self, values: pd.Series) -> pd.Series:
        """The rows the rule would match, as macro attribute_rule_matches does in dbt."""
        if self.operator == "between":
            numbers = pd.to_numeric(values, errors="coerce")
            matched = numbers.notna()
            if self.value_min is not None:
                matched &= numbers >= self.value_min
            if self.value_max is not None:
                matched &= numbers < self.value_max
            return matched
        lowered = values.astype("string").str.lower()
        return lowered.isin([v.lower() for v in self.value_text.split("|")]).fillna(False).astype(bool)

    def describe(self) -> str:
        if self.operator != "between":
            return self.value_text.replace("|", ", ")
        low, high = (_readable(v) if v is not None else None for v in (self.value_min, self.value_max))
        if low is None:
            return f"< {high}"
        return f">= {low}" if high is None else f"{low} - {high}"


@dataclass(frozen=True)
class Scorecard:
    rules: pd.DataFrame  # SEED_COLUMNS + EVIDENCE_COLUMNS, one row per rule
    weights: pd.DataFrame  # WEIGHT_COLUMNS: the components' weights of the scorecard's total
    mql_threshold: float  # qualifies the same share of training leads as the current rules do
    features: pd.DataFrame  # attribute, status, rules: what the scorecard used and left out
    training_until: object


def _readable(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _significant(value: float, digits: int = 3) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - floor(log10(abs(value))))


def numeric_bins(
    attribute: str, values: pd.Series, won: pd.Series, settings: EvaluationSettings, min_leads: int
) -> list[Bin]:
    """Ranges cut where a shallow tree splits half of the training leads; then, on the other half,
    adjacent ranges whose won rates do not differ significantly are merged (chi-square, setting
    scorecard_merge_p_value). A tree finds cuts even in noise, and tests on the leads that chose the
    cuts would confirm them: the second half judges them honestly."""
    filled = values.notna()
    if filled.sum() < 4 * min_leads or values[filled].nunique() < 2:
        return []
    choosing = _halves(values[filled].index)
    tree = DecisionTreeClassifier(
        max_leaf_nodes=settings.scorecard_max_bins, min_samples_leaf=min_leads // 2, random_state=0
    )
    tree.fit(values[filled][choosing].to_frame(), won[filled][choosing])
    cuts = sorted({_significant(t) for t in tree.tree_.threshold[tree.tree_.feature >= 0]})
    judging = ~choosing
    cuts = _merge_similar_ranges(
        cuts, values[filled][judging], won[filled][judging], settings.scorecard_merge_p_value
    )
    if not cuts:
        return []
    edges = [None, *cuts, None]
    return [
        Bin(attribute, "between", value_min=low, value_max=high)
        for low, high in zip(edges[:-1], edges[1:], strict=True)
    ]


def _halves(index: pd.Index) -> np.ndarray:
    """A fixed random half of the leads (True), the same on every run."""
    return np.random.default_rng(HALVES_SEED).random(len(index)) < 0.5


def _merge_similar_ranges(
    cuts: list[float], values: pd.Series, won: pd.Series, p_value: float
) -> list[float]:
    """Drop the cut between the two adjacent ranges most alike until every neighbour differs (ChiMerge)."""
    cuts = list(cuts)
    while cuts:
        ranges = np.searchsorted(np.array(cuts), values.to_numpy(float), side="right")
        table = pd.crosstab(ranges, won.to_numpy()).reindex(columns=[0, 1], fill_value=0).to_numpy()
        alike = [_chi_square_p(table[i : i + 2]) for i in range(len(table) - 1)]
        if not alike or max(alike) <= p_value:
            break
        del cuts[int(np.argmax(alike))]
    return cuts


def _chi_square_p(pair: np.ndarray) -> float:
    if (pair.sum(axis=0) == 0).any():
        return 1.0  # both ranges all won or all lost: nothing tells them apart
    return float(chi2_contingency(pair)[1])


def category_bins(attribute: str, values: pd.Series, min_leads: int) -> list[Bin]:
    spelled = values.dropna().astype(str)
    spelled = spelled[~spelled.str.contains("|", regex=False)]  # '|' separates an `in` rule's values
    counts = spelled.str.lower().value_counts()
    spelling = spelled.groupby(spelled.str.lower()).agg(lambda s: s.value_counts().index[0])
    frequent = [value for value, count in counts.items() if count >= min_leads]
    rare = [value for value, count in counts.items() if count < min_leads]
    bins = [Bin(attribute, "equals", value_text=spelling[value]) for value in frequent]
    if rare and counts[rare].sum() >= min_leads:
        bins.append(Bin(attribute, "in", value_text="|".join(spelling[value] for value in sorted(rare))))
    return bins if len(bins) > 1 or (bins and values.isna().any()) else []


def _fit(indicators: pd.DataFrame, components: pd.DataFrame, won: pd.Series, strength: float) -> pd.Series:
    matrix = pd.concat([indicators, components], axis=1)
    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit(matrix.to_numpy(float), won.astype(int).to_numpy())
    return pd.Series(model.coef_[0], index=matrix.columns)


def _relative_to_reference(
    coefficients: pd.Series, bins: dict[str, Bin], indicators: pd.DataFrame
) -> pd.Series:
    """An attribute every training lead has: its weakest rule is 0 (the intercept absorbs the shift).
    One some leads lack: points stay relative to having no rule match, which scores 0."""
    shifted = coefficients.copy()
    by_attribute = pd.Series({key: b.attribute for key, b in bins.items()})
    for keys in by_attribute.groupby(by_attribute).groups.values():
        if indicators[list(keys)].sum(axis=1).min() > 0:
            shifted[list(keys)] -= shifted[list(keys)].min()
    return shifted


def _attribute_effect(coefficients: pd.Series, bins: dict[str, Bin], indicators: pd.DataFrame) -> pd.Series:
    """How much each attribute moves the fitted log-odds across training leads (standard deviation)."""
    contributions = indicators.mul(coefficients[indicators.columns], axis=1)
    by_attribute = contributions.T.groupby(pd.Series({k: b.attribute for k, b in bins.items()})).sum().T
    return by_attribute.std()


def _merge_equal_neighbours(rows: list[dict]) -> list[dict]:
    """Adjacent ranges of one attribute with the same points become one range."""
    merged: list[dict] = []
    for row in rows:
        last = merged[-1] if merged else None
        if (
            last is not None
            and row["operator"] == last["operator"] == "between"
            and row["attribute"] == last["attribute"]
            and row["points"] == last["points"]
            and last["value_max"] == row["value_min"]
        ):
            last["value_max"] = row["value_max"]
            last["bin_keys"] = [*last["bin_keys"], *row["bin_keys"]]
        else:
            merged.append({**row, "bin_keys": list(row["bin_keys"])})
    return merged


def information_value(bins: list[Bin], values: pd.Series, won: pd.Series) -> float:
    """The scorecard literature's information value of an attribute's bins (no rule matched is a bin of
    its own): sum of (won share - lost share) x ln(won share / lost share); half a lead smooths empty
    cells. Below 0.02 an attribute is conventionally not predictive."""
    assigned = pd.Series(-1, index=values.index)
    for number, candidate in enumerate(bins):
        assigned[candidate.matches(values) & (assigned == -1)] = number
    counts = pd.crosstab(assigned, won.astype(int)).reindex(columns=[0, 1], fill_value=0) + 0.5
    shares = counts / counts.sum()
    return float(((shares[1] - shares[0]) * np.log(shares[1] / shares[0])).sum())


def _candidate_bins(
    frame: pd.DataFrame,
    numeric: list[str],
    categorical: list[str],
    won: pd.Series,
    settings: EvaluationSettings,
) -> dict[str, Bin]:
    """Every attribute's bins, for the attributes whose bins carry information (setting
    scorecard_min_information_value): a noise column cut into ranges would earn points from chance."""
    min_leads = max(int(np.ceil(settings.scorecard_min_bin_share * len(frame))), 1)
    bins: list[Bin] = []
    for attribute in numeric + categorical:
        if attribute in numeric:
            candidates = numeric_bins(attribute, frame[attribute], won, settings, min_leads)
        else:
            candidates = category_bins(attribute, frame[attribute], min_leads)
        if (
            candidates
            and information_value(candidates, frame[attribute], won)
            >= settings.scorecard_min_information_value
        ):
            bins += candidates
    return {f"{b.attribute}#{number}": b for number, b in enumerate(bins)}


def _labels(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    labels = read_frame(connection, "select attribute, label_ja from seeds.attribute_labels")
    return dict(zip(labels["attribute"], labels["label_ja"], strict=True))


def fit_scorecard(connection: duckdb.DuckDBPyConnection, settings: EvaluationSettings) -> Scorecard:
    outcomes = mature_outcomes(connection).set_index("lead_id")
    split = time_split_date(outcomes.reset_index(), settings.prediction_test_share)
    train = outcomes[outcomes["decision_date"] < split]
    check_enough_outcomes(train, settings, split)
    features = load_features(connection, "decision")
    review = review_features(connection, features, train, settings).set_index("feature")
    usable = review[
        review["feature_kind"].isin(FEATURE_KINDS) & review["status"].isin(["used", "used_flagged"])
    ]
    frame = features.frame.reindex(train.index)
    won = train["is_won"].astype(int)
    numeric = [c for c in usable.index if c in features.numeric]
    categorical = [c for c in usable.index if c in features.categorical]
    bins = _candidate_bins(frame, numeric, categorical, won, settings)
    indicators = pd.DataFrame(
        {key: b.matches(frame[b.attribute]).astype(float) for key, b in bins.items()}, index=frame.index
    )
    components = frame[[f"{c}_score" for c in COMPONENTS]].fillna(0.0) / 100.0
    left_out: list[str] = []
    while True:
        coefficients = _fit(indicators, components, won, settings.fitted_points_regularization)
        points = _relative_to_reference(coefficients[list(bins)], bins, indicators)
        strongest = points.abs().max()
        scale = MAX_POINTS / strongest if strongest > 0 else 0.0
        rows = _rule_rows(bins, points, scale)
        if len(rows) <= settings.scorecard_max_rules or not bins:
            break
        weakest = _attribute_effect(coefficients, bins, indicators).idxmin()
        left_out.append(weakest)
        bins = {key: b for key, b in bins.items() if b.attribute != weakest}
        indicators = indicators[list(bins)]
    rules = _rules_frame(rows, indicators, won, points, _labels(connection))
    weights = _weights(rules, coefficients, scale)
    threshold = _threshold_keeping_the_qualified_share(connection, rules, weights, train.index)
    feature_table = _feature_table(review, rules, features.dates, left_out)
    return Scorecard(rules, weights, threshold, feature_table, split)


def _feature_table(
    review: pd.DataFrame, rules: pd.DataFrame, dates: list[str], left_out: list[str]
) -> pd.DataFrame:
    """Every attribute and what the scorecard made of it: used (its rules), the leakage guard's or the
    profile's exclusion, a date (no points rule tests a date's age), left out by the rule cap, or
    no_rule_kept (too few leads per range or value, or every range scored 0)."""
    attributes = review[review["feature_kind"].isin(FEATURE_KINDS)]
    rows = []
    for attribute, row in attributes.iterrows():
        count = int((rules["attribute"] == attribute).sum())
        if row["status"] not in ("used", "used_flagged"):
            status = row["status"]
        elif attribute in dates:
            status = "date_not_a_points_rule"
        elif attribute in left_out:
            status = "left_out_rule_cap"
        else:
            status = "used" if count else "no_rule_kept"
        rows.append({"attribute": attribute, "status": status, "reasons": row["reasons"], "rules": count})
    return pd.DataFrame(rows, columns=["attribute", "status", "reasons", "rules"])


def _threshold_keeping_the_qualified_share(
    connection: duckdb.DuckDBPyConnection, rules: pd.DataFrame, weights: pd.DataFrame, train: pd.Index
) -> float:
    """The scorecard's total is on its own scale: its MQL threshold is the score above which the same
    share of training leads qualifies as under the current rules (the current threshold if none does)."""
    base = current_config(connection)
    fitted = config_with_demographic_rules(base, SCORECARD, rules[SEED_COLUMNS], weights)
    scores = rescore(connection, [base, fitted]).query("scoring_moment == 'decision' and lead_id in @train")
    current_share = scores.loc[scores["config_id"] == base.config_id, "is_mql"].astype(bool).mean()
    current_threshold = float(base.thresholds["value"].iloc[-1])
    if not current_share > 0:
        return current_threshold
    totals = scores.loc[scores["config_id"] == SCORECARD, "total_score"].astype(float)
    return round(float(totals.quantile(1 - current_share, interpolation="higher")), 2)


def _rule_rows(bins: dict[str, Bin], points: pd.Series, scale: float) -> list[dict]:
    rows = [
        {**b.__dict__, "points": int(round(points[key] * scale)), "bin_keys": [key]}
        for key, b in bins.items()
    ]
    return [row for row in _merge_equal_neighbours(rows) if row["points"] != 0]


def _rules_frame(
    rows: list[dict], indicators: pd.DataFrame, won: pd.Series, points: pd.Series, labels: dict[str, str]
) -> pd.DataFrame:
    records = []
    for number, row in enumerate(rows, start=1):
        matched = indicators[row["bin_keys"]].sum(axis=1) > 0
        text = Bin(row["attribute"], row["operator"], row["value_text"], row["value_min"], row["value_max"])
        records.append(
            {
                "rule_id": f"FIT-{number:03d}",
                "category": f"fit_{row['attribute']}",
                "attribute": row["attribute"],
                "operator": row["operator"],
                "value_text": row["value_text"],
                "value_min": row["value_min"],
                "value_max": row["value_max"],
                "points": row["points"],
                "description_en": f"{row['attribute']}: {text.describe()} (fitted)",
                "label_ja": f"{labels.get(row['attribute'], row['attribute'])}: {text.describe()}(推定)",
                "valid_from": None,
                "valid_to": None,
                "training_leads": int(matched.sum()),
                "training_won": int(won[matched].sum()),
                "share_of_training_leads": float(matched.mean()),
                "won_rate": float(won[matched].mean()) if matched.any() else None,
                "coefficient": float(points[row["bin_keys"]].mean()),
            }
        )
    return pd.DataFrame(records, columns=SEED_COLUMNS + EVIDENCE_COLUMNS)


def _weights(rules: pd.DataFrame, coefficients: pd.Series, scale: float) -> pd.DataFrame:
    """Component weights in proportion to the log-odds one component point is worth: a demographic
    score point is (full points / 100) / scale log-odds, a behaviour or BANT point its coefficient / 100
    (they were fitted per 100 points). Negative ones are 0; the weights add up to 1."""
    best = rules.groupby("category")["points"].max()
    full_points = float(best[best > 0].sum())
    raw = {"demographic": full_points / 100.0 / scale if scale and full_points else 0.0}
    raw.update({c: max(float(coefficients[f"{c}_score"]), 0.0) / 100.0 for c in COMPONENTS})
    total = sum(raw.values()) or 1.0
    rows = [
        {"weight_set": weight_set, "score_component": component, "weight": round(value / total, 6)}
        for weight_set in ("bant_not_assessed", "bant_assessed")
        for component, value in raw.items()
        if weight_set == "bant_assessed" or component != "bant"
    ]
    return pd.DataFrame(rows).assign(valid_from=None, valid_to=None)[WEIGHT_COLUMNS]


def _seed_weights(weights: pd.DataFrame) -> pd.DataFrame:
    """The weights in integrated_weights.csv's columns."""
    described = weights.assign(description_en="Fitted scorecard weight", label_ja="採点表の推定重み")
    return described[
        ["weight_set", "score_component", "weight", "description_en", "label_ja", "valid_from", "valid_to"]
    ]


def write_scorecard_seeds(scorecard: Scorecard, thresholds: pd.DataFrame, out_dir: Path) -> list[Path]:
    """demographic_rules.csv, integrated_weights.csv and scoring_thresholds.csv (``thresholds``: the seed's
    rows, whose mql_threshold becomes the scorecard's) in the seeds' columns — what a backtest reads and
    an analytics engineer copies into seeds/scoring to adopt — and scorecard_evidence.csv beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    thresholds = thresholds.copy()
    mql = thresholds["setting"] == "mql_threshold"
    thresholds.loc[mql, "value"] = scorecard.mql_threshold
    thresholds.loc[mql, "description_en"] = (
        "Fitted scorecard score at or over which a lead is an MQL (qualifies "
        "the share of training leads the current rules did)"
    )
    thresholds.loc[mql, "label_ja"] = "採点表のMQL判定閾値(現行ルールと同じ割合が該当)"
    files = {
        "demographic_rules.csv": scorecard.rules[SEED_COLUMNS],
        "integrated_weights.csv": _seed_weights(scorecard.weights),
        "scoring_thresholds.csv": thresholds,
        "scorecard_evidence.csv": scorecard.rules[["rule_id", "attribute", "points", *EVIDENCE_COLUMNS]],
    }
    written = []
    for name, frame in files.items():
        path = out_dir / name
        frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    return written


def publish_scorecard(
    connection: duckdb.DuckDBPyConnection, scorecard: Scorecard, out_dir: Path
) -> list[Path]:
    """marts.mart_scorecard_rules (the rules with their evidence) and the seed CSVs in ``out_dir``."""
    replace_table(
        connection,
        "marts",
        "mart_scorecard_rules",
        scorecard.rules.assign(training_until=scorecard.training_until),
        {
            "value_text": "varchar",
            "value_min": "double",
            "value_max": "double",
            "valid_from": "date",
            "valid_to": "date",
            "won_rate": "double",
            "training_until": "date",
        },
    )
    replace_table(connection, "marts", "mart_scorecard_features", scorecard.features)
    thresholds = read_frame(connection, "select * from seeds.scoring_thresholds")
    return write_scorecard_seeds(scorecard, thresholds, out_dir)


def format_scorecard(scorecard: Scorecard, top: int = 10) -> str:
    """The strongest rules (by |points|) with their evidence, for the terminal and the summaries."""
    rules = scorecard.rules.reindex(scorecard.rules["points"].abs().sort_values(ascending=False).index)
    lines = [
        f"{row.rule_id}  {row.points:+4d}  {row.description_en:<50.50}  "
        f"{row.training_leads} leads, {row.training_won} won ({(row.won_rate or 0):.1%})"
        for row in rules.head(top).itertuples()
    ]
    weights = scorecard.weights[scorecard.weights["weight_set"] == "bant_assessed"]
    shares = ", ".join(f"{r.score_component} {r.weight:.2f}" for r in weights.itertuples())
    header = f"{len(scorecard.rules)} rules; weights: {shares}; MQL threshold {scorecard.mql_threshold:g}"
    return header + "\n" + "\n".join(lines)
