"""Training the predictive score: scikit-learn models (logistic regression, gradient boosting, both
calibrated) on point-in-time features of mature leads. The registry is model_registry.py, the
predictions (and the blend into the rule score) predictions.py.

Training is time-based: the model learns from leads decided before the test period and is tested on
the most recently decided ones. It refuses to train on too few outcomes (seed evaluation_settings).
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
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
    flag_close_to_model,
    load_features,
    numeric_matrix_columns,
    review_features,
)
from lead_evaluation.outcomes import InsufficientOutcomesError, mature_outcomes, time_split_date
from lead_evaluation.settings import EvaluationSettings

MODEL_KINDS = ("logistic_regression", "gradient_boosting")


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
    feature_review: pd.DataFrame  # every candidate feature: used, excluded or flagged, and why

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


def feature_matrix(
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
    review = review_features(connection, features, train, settings)
    excluded = review[review["status"].str.startswith(("excluded", "known_"))].set_index("feature")
    used = review.loc[review["status"].isin(["used", "used_flagged"]), "feature"].tolist()
    numeric, categorical = numeric_matrix_columns(features, used)
    used = numeric + categorical
    x_train = feature_matrix(features, train.index, train["decision_date"], used)
    x_test = feature_matrix(features, test.index, test["decision_date"], used)
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
                    {feature: row.reasons or row.status for feature, row in excluded.iterrows()},
                    ensure_ascii=False,
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
    deployed_auc = next(row["test_auc"] for row in rows if row["is_deployed"])
    review = flag_close_to_model(
        review, features, train["is_won"].astype(int), deployed_auc, settings.leakage_close_to_model_auc
    )
    for row in rows:
        row["allowed_flagged_features"] = json.dumps(
            review.loc[review["status"] == "used_flagged", "feature"].tolist(), ensure_ascii=False
        )
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
        review.assign(model_version=version),
    )
