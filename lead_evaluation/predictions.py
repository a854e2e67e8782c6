"""Predictions of the deployed model for every lead at its decision and as-of moments, and each
lead's top contributing features (``marts.fct_lead_predictions``), blended into the rule score:
blended = (1 - w) x rule score + w x predictive score (the probability's percentile among training
leads), w = setting prediction_blend_weight."""

import duckdb
import numpy as np
import pandas as pd

from lead_evaluation.features import load_features
from lead_evaluation.predictive import MODEL_KINDS, TrainedModels, feature_matrix
from lead_evaluation.warehouse import read_frame, replace_table

TOP_CONTRIBUTIONS = 3


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
        matrix = feature_matrix(features, moments.index, moments["as_of_date"], used)
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
                    "is_score_qualified_blended": (
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
