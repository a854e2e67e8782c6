"""Point-in-time features of every lead at a scoring moment, and the leakage guard.

Features are what the warehouse knew at the moment: the lead's attributes (built-in and every custom
CRM column of vars custom_lead_attributes / custom_account_attributes, CRM status at the moment), its
component scores, and the evidence of each rule (behaviour decayed to the moment). Nothing recorded
after the moment is read, except what a CRM export can only give as of today (a custom column's
current value): the leakage guard looks for exactly that.
"""

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from lead_evaluation.metrics import auc
from lead_evaluation.settings import EvaluationSettings
from lead_evaluation.warehouse import read_frame

# A text attribute is a date when at least this share of its values parse as dates.
DATE_SHARE = 0.9
# Below this fill rate among leads never handed off, and above the next among handed-off ones, an
# attribute is one sales fills after contact.
AFTER_HANDOFF_MAX_FILL_BEFORE = 0.02
AFTER_HANDOFF_MIN_FILL_AFTER = 0.2
# Names that CRMs give fields sales fill in after contact (quality, tags, statuses, last activity).
SUSPICIOUS_NAME = re.compile(
    r"quality|tag|status|stage|grade|rating|^last_|_last_|最終|ステータス|評価|タグ|ランク|品質|確度",
    re.IGNORECASE,
)
# Findings that only flag a feature; every other finding excludes it (unless allowed).
FLAG_ONLY_REASONS = frozenset({"suspicious_name"})


@dataclass(frozen=True)
class FeatureFrame:
    frame: pd.DataFrame  # index lead_id; one column per feature
    numeric: list[str]
    categorical: list[str]
    dates: list[str]  # text attributes holding dates, kept as dates for the guard
    attributes: list[str]  # the columns that are lead attributes (not scores or rule evidence)
    # The CRM's own columns the profiles declare (int_custom_attributes); the others int_lead_attributes
    # derives itself, point in time (the CRM status is the one at the moment).
    custom_attributes: frozenset[str] = frozenset()

    def kind(self, column: str) -> str:
        if column in self.attributes:
            return "custom_attribute" if column in self.custom_attributes else "built_in_attribute"
        return "rule_evidence" if column.startswith("rule:") else "component_score"


def _attribute_features(connection: duckdb.DuckDBPyConnection, moment: str) -> tuple[pd.DataFrame, list[str]]:
    attributes = read_frame(
        connection,
        "select lead_id, attribute, value_text, value_number from intermediate.int_lead_attributes "
        "where scoring_moment = ?",
        [moment],
    )
    numeric_attributes = [
        name for name, rows in attributes.groupby("attribute") if rows["value_number"].notna().all()
    ]
    is_numeric = attributes["attribute"].isin(numeric_attributes)
    numbers = attributes[is_numeric].pivot_table(
        index="lead_id", columns="attribute", values="value_number", aggfunc="first"
    )
    texts = attributes[~is_numeric].pivot_table(
        index="lead_id", columns="attribute", values="value_text", aggfunc="first"
    )
    return numbers.join(texts, how="outer"), numeric_attributes


def load_features(connection: duckdb.DuckDBPyConnection, moment: str) -> FeatureFrame:
    """One row per lead scored at ``moment`` (decision or as_of)."""
    scores = (
        read_frame(
            connection,
            "select lead_id, demographic_score, behavior_score, coalesce(bant_score, 0) as bant_score, "
            "case when bant_status = 'assessed' then 1 else 0 end as is_bant_assessed "
            "from intermediate.int_lead_scores where scoring_moment = ?",
            [moment],
        )
        .set_index("lead_id")
        .astype(float)
    )
    evidence = read_frame(
        connection,
        "select lead_id, 'rule:' || rule_id as feature, decayed_evidence "
        "from intermediate.int_lead_rule_evidence "
        "where scoring_moment = ?",
        [moment],
    ).pivot_table(index="lead_id", columns="feature", values="decayed_evidence", aggfunc="sum")
    attributes, numeric_attributes = _attribute_features(connection, moment)
    frame = scores.join(evidence, how="left").join(attributes, how="left")
    frame[list(evidence.columns)] = frame[list(evidence.columns)].fillna(0.0)
    text_columns = [c for c in attributes.columns if c not in numeric_attributes]
    dates = [
        c
        for c in text_columns
        if _parsed_dates(frame[c]).notna().sum() >= DATE_SHARE * frame[c].notna().sum() > 0
    ]
    numeric = list(scores.columns) + list(evidence.columns) + numeric_attributes
    categorical = [c for c in text_columns if c not in dates]
    frame.columns.name = None
    custom = read_frame(connection, "select attribute from intermediate.int_custom_attributes")["attribute"]
    return FeatureFrame(frame, numeric, categorical, dates, list(attributes.columns), frozenset(custom))


def _parsed_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce", format="mixed")


@dataclass(frozen=True)
class LeakageFinding:
    feature: str
    reason: str
    value: float


def leakage_findings(
    features: FeatureFrame,
    won: pd.Series,
    decision_dates: pd.Series,
    max_single_feature_auc: float,
    min_share_after_decision: float,
    handed_off: pd.Series | None = None,
    max_fill_rate_gap: float = 1.0,
) -> list[LeakageFinding]:
    """Features recorded after the decision moment, or that alone predict the outcome implausibly well,
    and attributes that look filled in after contact: filled far more often for won than for lost leads,
    filled only for leads handed off to sales, or named like a field sales keeps (flagged, not excluded).
    ``won``, ``decision_dates`` and ``handed_off`` are indexed by lead_id (the training leads)."""
    frame = features.frame.loc[won.index]
    findings = _fill_findings(frame, features, won, handed_off, max_fill_rate_gap)
    for column in features.dates:
        after = (_parsed_dates(frame[column]) > pd.to_datetime(decision_dates)).mean()
        if after >= min_share_after_decision:
            findings.append(LeakageFinding(column, "recorded_after_decision", float(after)))
    for column in features.numeric + features.categorical:
        single_auc = single_feature_auc(frame[column], won, column in features.categorical)
        if single_auc is not None and single_auc > max_single_feature_auc:
            findings.append(LeakageFinding(column, "single_feature_auc", single_auc))
    return findings


def single_feature_auc(values: pd.Series, won: pd.Series, categorical: bool) -> float | None:
    """How well the feature alone separates won from not-won (0.5-1, whichever direction)."""
    if categorical:
        # Each value's won rate among the training leads: a column that names the outcome scores ~1.
        values = values.fillna("(missing)").map(won.groupby(values.fillna("(missing)")).mean())
    single_auc = auc(won, values.fillna(values.median() if values.notna().any() else 0))
    return None if single_auc is None else float(max(single_auc, 1 - single_auc))


def flag_close_to_model(
    review: pd.DataFrame, features: FeatureFrame, won: pd.Series, model_auc: float | None, margin: float
) -> pd.DataFrame:
    """Used attributes that alone reach within ``margin`` of the model's test AUC: one field doing the
    model's whole work is what a leak looks like (flagged with its AUC, not excluded: an honest field can
    be that strong, and a person should look)."""
    if model_auc is None:
        return review
    flagged = review.copy()
    frame = features.frame.loc[won.index]
    for position, row in flagged.iterrows():
        if row["status"] not in ("used", "used_flagged") or row["feature"] not in features.attributes:
            continue
        column = row["feature"]
        single_auc = single_feature_auc(frame[column], won, column in features.categorical)
        if single_auc is not None and single_auc >= model_auc - margin:
            finding = f"single_feature_auc_close_to_model={single_auc:.3f}"
            flagged.loc[position, "status"] = "used_flagged"
            earlier = row["reasons"] if isinstance(row["reasons"], str) else ""
            flagged.loc[position, "reasons"] = f"{earlier}; {finding}" if earlier else finding
    return flagged


def _fill_findings(
    frame: pd.DataFrame,
    features: FeatureFrame,
    won: pd.Series,
    handed_off: pd.Series | None,
    max_fill_rate_gap: float,
) -> list[LeakageFinding]:
    findings = []
    is_won = won.astype(bool)
    for column in features.attributes:
        filled = frame[column].notna()
        gap = abs(filled[is_won].mean() - filled[~is_won].mean())
        if gap > max_fill_rate_gap:
            findings.append(LeakageFinding(column, "fill_rate_gap_won_vs_lost", float(gap)))
        if handed_off is not None:
            was_handed = handed_off.reindex(frame.index).fillna(False).astype(bool)
            before, after = filled[~was_handed].mean(), filled[was_handed].mean()
            if before <= AFTER_HANDOFF_MAX_FILL_BEFORE and after >= AFTER_HANDOFF_MIN_FILL_AFTER:
                findings.append(LeakageFinding(column, "filled_only_after_handoff", float(after)))
        if column in features.custom_attributes and SUSPICIOUS_NAME.search(column):
            findings.append(LeakageFinding(column, "suspicious_name", 1.0))
    return findings


def feature_review(
    features: FeatureFrame,
    findings: list[LeakageFinding],
    allowed: tuple[str, ...],
    excluded_by_setting: tuple[str, ...],
    known_after_contact: tuple[str, ...] = (),
    known_as_of_only: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Every candidate feature: used, excluded or used though flagged, and why (the findings)."""
    rows = []
    for column in features.numeric + features.categorical + features.dates:
        own = [f for f in findings if f.feature == column]
        excluding = [f for f in own if f.reason not in FLAG_ONLY_REASONS]
        if column in known_after_contact:
            status = "known_after_contact"
        elif column in known_as_of_only:
            status = "known_as_of_only"
        elif column in excluded_by_setting:
            status = "excluded_by_setting"
        elif excluding and column not in allowed:
            status = "excluded"
        elif own:
            status = "used_flagged"
        elif features.frame[column].notna().any():
            status = "used"
        else:
            status = "empty"
        rows.append(
            {
                "feature": column,
                "feature_kind": features.kind(column),
                "status": status,
                "reasons": "; ".join(f"{f.reason}={f.value:.3f}" for f in own) or None,
                "fill_rate": float(features.frame[column].notna().mean()),
            }
        )
    return pd.DataFrame(rows)


def date_features_as_days(frame: pd.DataFrame, dates: list[str], moment_dates: pd.Series) -> pd.DataFrame:
    """Date attributes the model may use, as days before the moment (a date itself does not generalise)."""
    converted = frame.copy()
    for column in dates:
        converted[column] = (pd.to_datetime(moment_dates) - _parsed_dates(frame[column])).dt.days.astype(
            float
        )
    return converted


def numeric_matrix_columns(features: FeatureFrame, used: list[str]) -> tuple[list[str], list[str]]:
    """The used features split into numeric (dates become numeric days) and categorical."""
    numeric = [c for c in used if c in features.numeric or c in features.dates]
    categorical = [c for c in used if c in features.categorical]
    return numeric, categorical


def review_features(
    connection: duckdb.DuckDBPyConnection,
    features: FeatureFrame,
    train: pd.DataFrame,
    settings: EvaluationSettings,
) -> pd.DataFrame:
    """feature_review of the decision-moment features on the training leads (``train``: index lead_id,
    is_won, decision_date), with what the export profiles say about when custom columns are filled."""
    handed_off = read_frame(
        connection, "select lead_id, first_mql_at is not null as is_handed_off from marts.fct_lead_funnel"
    ).set_index("lead_id")["is_handed_off"]
    findings = leakage_findings(
        features,
        train["is_won"].astype(int),
        train["decision_date"],
        settings.leakage_max_single_feature_auc,
        settings.leakage_min_share_after_decision,
        handed_off,
        settings.leakage_max_fill_rate_gap,
    )
    timing = read_frame(
        connection, "select attribute, known, is_known_at_decision from intermediate.int_custom_attributes"
    )
    after_contact = timing["known"] == "after_contact"
    return feature_review(
        features,
        findings,
        settings.prediction_allowed_features,
        settings.prediction_excluded_features,
        tuple(timing.loc[after_contact, "attribute"]),
        tuple(timing.loc[~after_contact & ~timing["is_known_at_decision"].astype(bool), "attribute"]),
    )
