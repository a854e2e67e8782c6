"""The predictive score: scikit-learn models trained on point-in-time features of mature leads, a
model registry (ml.model_registry), and predictions with per-lead explanations
(marts.fct_lead_predictions), optionally blended into the rule score:
blended = (1 - w) x rule score + w x predictive score (the probability's percentile among training
leads), w = setting prediction_blend_weight.

Training is time-based: the model learns from leads decided before the test period and is tested on
the most recently decided ones. It refuses to train on too few outcomes (seed evaluation_settings).
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import joblib
import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from lead_evaluation import metrics
from lead_evaluation.features import (
    FeatureFrame,
    date_features_as_days,
    leakage_findings,
    load_features,
    numeric_matrix_columns,
)
from lead_evaluation.outcomes import InsufficientOutcomesError, mature_outcomes, time_split_date
from lead_evaluation.settings import EvaluationSettings
from lead_evaluation.warehouse import read_frame, replace_table, table_exists

MODEL_KINDS = ("logistic_regression", "gradient_boosting")
REGISTRY_TYPES = {
    "model_version": "varchar",
    "model_kind": "varchar",
    "status": "varchar",
    "reason": "varchar",
    "trained_at": "timestamp",
    "train_from": "date",
    "test_from": "date",
    "test_to": "date",
    "train_leads": "bigint",
    "train_won": "bigint",
    "test_leads": "bigint",
    "test_won": "bigint",
    "test_auc": "double",
    "test_brier": "double",
    "test_calibration_error": "double",
    "features": "varchar",
    "excluded_features": "varchar",
    "allowed_flagged_features": "varchar",
    "is_deployed": "boolean",
    "model_path": "varchar",
}
TOP_CONTRIBUTIONS = 3


@dataclass
class TrainedModels:
    version: str
    deployed_kind: str
    pipelines: dict[str, Pipeline]
    explainer: Pipeline  # the logistic regression, whose log-odds split exactly into feature contributions
    explainer_means: (
        np.ndarray
    )  # its transformed training features' means: contributions are relative to them
    training_probabilities: (
        np.ndarray
    )  # sorted; the predictive score is a probability's percentile among them
    numeric: list[str]
    categorical: list[str]
    dates: list[str]
    registry_rows: list[dict]

    def predictive_score(self, probability: np.ndarray) -> np.ndarray:
        """0-100: the share of training leads the model gave a lower probability (a percentile, so it
        sits on the rule score's scale although won leads are rare and probabilities small)."""
        below = np.searchsorted(self.training_probabilities, probability, side="left")
        return np.round(100 * below / len(self.training_probabilities), 2)

    @property
    def deployed_version(self) -> str:
        return f"{self.version}-{self.deployed_kind}"


def _category_name(feature: str, category) -> str:
    return f"{feature}={category}"


def _preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="(missing)"),
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist",
                        min_frequency=0.01,
                        sparse_output=False,
                        feature_name_combiner=_category_name,
                    ),
                ),
                categorical,
            ),
        ],
        verbose_feature_names_out=False,
    )


def _estimator(kind: str):
    if kind == "logistic_regression":
        return LogisticRegression(C=1.0, max_iter=2000)
    return HistGradientBoostingClassifier(learning_rate=0.05, max_iter=200, max_leaf_nodes=15, random_state=0)


def _matrix(
    features: FeatureFrame, leads: pd.Index, moment_dates: pd.Series, used: list[str]
) -> pd.DataFrame:
    frame = features.frame.reindex(index=leads, columns=used)
    dates = [c for c in used if c in features.dates]
    return date_features_as_days(frame, dates, moment_dates.reindex(leads)) if dates else frame


def check_enough_outcomes(train: pd.DataFrame, settings: EvaluationSettings, split) -> None:
    won = int(train["is_won"].sum())
    if len(train) < settings.prediction_min_training_leads or won < settings.prediction_min_positive_outcomes:
        raise InsufficientOutcomesError(
            f"Not enough outcomes to train: {len(train)} mature leads decided before {split} with {won} won; "
            f"the model needs at least {settings.prediction_min_training_leads} leads and "
            f"{settings.prediction_min_positive_outcomes} won (seed evaluation_settings). With fewer, a "
            "model learns noise: the article's rule of thumb is about 50 leads a month before statistics "
            "mean much. "
            "Keep using the rule score and retrain when more leads have matured."
        )


def train_models(connection: duckdb.DuckDBPyConnection, settings: EvaluationSettings) -> TrainedModels:
    """Fit both models on the training period, test them on the later leads, pick the deployed one."""
    outcomes = mature_outcomes(connection).set_index("lead_id")
    split = time_split_date(outcomes.reset_index(), settings.prediction_test_share)
    train, test = outcomes[outcomes["decision_date"] < split], outcomes[outcomes["decision_date"] >= split]
    check_enough_outcomes(train, settings, split)
    features = load_features(connection, "decision")
    findings = leakage_findings(
        features,
        train["is_won"].astype(int),
        train["decision_date"],
        settings.leakage_max_single_feature_auc,
        settings.leakage_min_share_after_decision,
    )
    excluded = {f.feature: f for f in findings if f.feature not in settings.prediction_allowed_features}
    candidates = features.numeric + features.categorical + features.dates
    used = [c for c in candidates if c not in excluded and features.frame[c].notna().any()]
    numeric, categorical = numeric_matrix_columns(features, used)
    used = numeric + categorical
    x_train = _matrix(features, train.index, train["decision_date"], used)
    x_test = _matrix(features, test.index, test["decision_date"], used)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    pipelines, rows = {}, []
    for kind in MODEL_KINDS:
        model = CalibratedClassifierCV(
            Pipeline([("features", _preprocessor(numeric, categorical)), ("model", _estimator(kind))]),
            method="sigmoid",
            cv=3,
        )
        model.fit(x_train, train["is_won"].astype(int))
        probability = model.predict_proba(x_test)[:, 1]
        _, brier, ece = metrics.calibration(test["is_won"], probability, settings.calibration_bins)
        pipelines[kind] = model
        rows.append(
            {
                "model_version": f"{version}-{kind}",
                "model_kind": kind,
                "status": "trained",
                "reason": None,
                "trained_at": datetime.now(UTC).replace(tzinfo=None),
                "train_from": train["decision_date"].min(),
                "test_from": split,
                "test_to": test["decision_date"].max(),
                "train_leads": len(train),
                "train_won": int(train["is_won"].sum()),
                "test_leads": len(test),
                "test_won": int(test["is_won"].sum()),
                "test_auc": metrics.auc(test["is_won"], pd.Series(probability)),
                "test_brier": brier,
                "test_calibration_error": ece,
                "features": json.dumps(used, ensure_ascii=False),
                "excluded_features": json.dumps(
                    {f: {"reason": x.reason, "value": round(x.value, 4)} for f, x in excluded.items()},
                    ensure_ascii=False,
                ),
                "allowed_flagged_features": json.dumps(
                    [f.feature for f in findings if f.feature not in excluded]
                ),
            }
        )
    deployed = settings.prediction_model
    if deployed == "best":
        deployed = max(rows, key=lambda row: row["test_auc"] or 0)["model_kind"]
    if deployed not in MODEL_KINDS:
        raise ValueError(
            f"Setting prediction_model must be best or one of {', '.join(MODEL_KINDS)}, got {deployed}."
        )
    for row in rows:
        row["is_deployed"] = row["model_kind"] == deployed
    explainer = Pipeline(
        [("features", _preprocessor(numeric, categorical)), ("model", _estimator(MODEL_KINDS[0]))]
    )
    explainer.fit(x_train, train["is_won"].astype(int))
    means = explainer.named_steps["features"].transform(x_train).mean(axis=0)
    training_probabilities = np.sort(pipelines[deployed].predict_proba(x_train)[:, 1])
    return TrainedModels(
        version,
        deployed,
        pipelines,
        explainer,
        means,
        training_probabilities,
        numeric,
        categorical,
        [c for c in used if c in features.dates],
        rows,
    )


def refusal_row(reason: str) -> dict:
    return {
        "model_version": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-refused",
        "model_kind": None,
        "status": "refused",
        "reason": reason,
        "trained_at": datetime.now(UTC).replace(tzinfo=None),
        "is_deployed": False,
    }


def register(connection: duckdb.DuckDBPyConnection, rows: list[dict], model_path: Path | None) -> None:
    """Append to ml.model_registry; a newly deployed model un-deploys the previous one."""
    new = pd.DataFrame(rows).assign(model_path=str(model_path) if model_path else None)
    existing = (
        read_frame(connection, "select * from ml.model_registry")
        if table_exists(connection, "ml", "model_registry")
        else pd.DataFrame()
    )
    if new["is_deployed"].any() and not existing.empty:
        existing["is_deployed"] = False
    replace_table(
        connection, "ml", "model_registry", pd.concat([existing, new], ignore_index=True), REGISTRY_TYPES
    )


def save_models(models: TrainedModels, models_dir: Path) -> Path:
    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"lead_model_{models.version}.joblib"
    joblib.dump(models, path)
    return path


def load_models(path: Path) -> TrainedModels:
    return joblib.load(path)


def deployed_model_path(connection: duckdb.DuckDBPyConnection) -> Path | None:
    if not table_exists(connection, "ml", "model_registry"):
        return None
    rows = connection.execute(
        "select model_path from ml.model_registry where is_deployed order by trained_at desc limit 1"
    ).fetchall()
    return Path(rows[0][0]) if rows else None


def _contributions(models: TrainedModels, matrix: pd.DataFrame) -> list[str | None]:
    """Top features pushing each lead's log-odds up: coefficient x (value - training mean), over the
    lead's numbers and the categories it has (a category it lacks explains nothing to a reader)."""
    transformer, model = models.explainer.named_steps["features"], models.explainer.named_steps["model"]
    transformed = transformer.transform(matrix)
    contributions = (transformed - models.explainer_means) * model.coef_[0]
    is_category = np.arange(transformed.shape[1]) >= len(models.numeric)
    contributions[is_category & (transformed < 1)] = 0.0
    names = [
        name.replace("=infrequent_sklearn", "=(rare value)") for name in transformer.get_feature_names_out()
    ]
    top = np.argsort(-contributions, axis=1)[:, :TOP_CONTRIBUTIONS]
    return [
        " / ".join(f"{names[j]} ({contributions[i, j]:+.2f})" for j in top[i] if contributions[i, j] > 0)
        or None
        for i in range(len(matrix))
    ]


def predict(
    connection: duckdb.DuckDBPyConnection, models: TrainedModels, model_version: str, blend_weight: float
) -> pd.DataFrame:
    """fct_lead_predictions: every lead at its decision and as-of moments."""
    frames = []
    for moment in ("decision", "as_of"):
        features = load_features(connection, moment)
        moments = read_frame(
            connection,
            "select s.lead_id, s.as_of_date, s.total_score, s.is_disqualified, s.mql_threshold "
            "from intermediate.int_lead_scores as s where s.scoring_moment = ?",
            [moment],
        ).set_index("lead_id")
        used = models.numeric + models.categorical
        matrix = _matrix(features, moments.index, moments["as_of_date"], used)
        probability = models.pipelines[models.deployed_kind].predict_proba(matrix)[:, 1]
        rule_score = moments["total_score"].astype(float)
        predictive_score = models.predictive_score(probability)
        blended = ((1 - blend_weight) * rule_score + blend_weight * predictive_score).round(2)
        frames.append(
            pd.DataFrame(
                {
                    "lead_id": moments.index,
                    "scoring_moment": moment,
                    "as_of_date": moments["as_of_date"].to_numpy(),
                    "model_version": model_version,
                    "predicted_probability": probability,
                    "predictive_score": predictive_score,
                    "rule_score": rule_score.to_numpy(),
                    "blend_weight": blend_weight,
                    "blended_score": blended.to_numpy(),
                    "is_mql_blended": (
                        (blended >= moments["mql_threshold"]) & ~moments["is_disqualified"]
                    ).to_numpy(),
                    "top_contributions": _contributions(models, matrix),
                    "explanation_model": MODEL_KINDS[0],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def publish_predictions(connection: duckdb.DuckDBPyConnection, predictions: pd.DataFrame) -> int:
    return replace_table(
        connection,
        "marts",
        "fct_lead_predictions",
        predictions,
        {"as_of_date": "date", "top_contributions": "varchar"},
    )
