"""How well a score ranks and predicts outcomes: AUC, precision / recall, lift by decile, bands,
calibration. scikit-learn computes the statistics; this module only arranges them into tables."""

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score


def auc(won: pd.Series, score: pd.Series) -> float | None:
    """ROC AUC, or None when only one outcome class is present (AUC is undefined then)."""
    if won.nunique() < 2:
        return None
    return float(roc_auc_score(won.astype(int), score.astype(float)))


def deciles(won: pd.Series, score: pd.Series) -> pd.DataFrame:
    """Decile 1 = the tenth of leads with the highest scores (ties broken by order, so deciles are equal)."""
    frame = pd.DataFrame({"won": won.astype(int).to_numpy(), "score": score.astype(float).to_numpy()})
    rank = frame["score"].rank(method="first", ascending=False)
    frame["decile"] = np.ceil(rank * 10 / len(frame)).astype(int)
    table = frame.groupby("decile").agg(
        leads=("won", "size"), won=("won", "sum"), min_score=("score", "min"), max_score=("score", "max")
    )
    overall = frame["won"].mean()
    table["conversion_rate"] = table["won"] / table["leads"]
    table["lift"] = table["conversion_rate"] / overall if overall > 0 else np.nan
    table["cumulative_won_share"] = table["won"].cumsum() / max(frame["won"].sum(), 1)
    return table.reset_index()


def precision_recall(won: pd.Series, flagged: pd.Series) -> tuple[float | None, float | None]:
    won, flagged = won.astype(bool), flagged.astype(bool)
    precision = float((won & flagged).sum() / flagged.sum()) if flagged.any() else None
    recall = float((won & flagged).sum() / won.sum()) if won.any() else None
    return precision, recall


def platt_probability(train_score: pd.Series, train_won: pd.Series, score: pd.Series) -> np.ndarray:
    """A score turned into a probability by a logistic fit on earlier leads (Platt scaling), so a
    rule score's calibration can be measured on later leads like a model's probability."""
    model = LogisticRegression()
    model.fit(train_score.astype(float).to_frame(), train_won.astype(int))
    return model.predict_proba(score.astype(float).to_frame())[:, 1]


def calibration(won: pd.Series, probability: np.ndarray, bins: int) -> tuple[pd.DataFrame, float, float]:
    """Reliability table (quantile bins of the probability), Brier score, and the expected
    calibration error: |observed - predicted| per bin, weighted by the bin's share of leads."""
    frame = pd.DataFrame({"won": won.astype(int).to_numpy(), "probability": np.asarray(probability, float)})
    frame["calibration_bin"] = pd.qcut(frame["probability"], q=bins, labels=False, duplicates="drop") + 1
    table = frame.groupby("calibration_bin").agg(
        leads=("won", "size"),
        mean_predicted_probability=("probability", "mean"),
        observed_rate=("won", "mean"),
    )
    gaps = (table["observed_rate"] - table["mean_predicted_probability"]).abs()
    ece = float((gaps * table["leads"]).sum() / table["leads"].sum())
    brier = float(brier_score_loss(frame["won"], frame["probability"]))
    return table.reset_index(), brier, ece
