"""The model registry (``ml.model_registry``) and the model files: which model was trained when, on
what, how well it tested, and which one is deployed."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import joblib
import pandas as pd

from lead_evaluation.warehouse import read_frame, replace_table, table_exists

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


def refusal_row(reason: str) -> dict:
    return {
        "model_version": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-refused",
        "model_kind": None,
        "status": "refused",
        "reason": reason,
        "trained_at": datetime.now(UTC).replace(tzinfo=None),
        "is_deployed": False,
    }


FEATURE_REVIEW_TYPES = {
    "model_version": "varchar",
    "feature": "varchar",
    "feature_kind": "varchar",
    "status": "varchar",
    "reasons": "varchar",
    "fill_rate": "double",
}


def register(
    connection: duckdb.DuckDBPyConnection,
    rows: list[dict],
    model_path: Path | None,
    feature_review: pd.DataFrame | None = None,
) -> None:
    """Append to ml.model_registry; a newly deployed model un-deploys the previous one. The features of
    the newest training, and what the leakage guard made of each, replace marts.mart_model_features."""
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
    if feature_review is not None:
        replace_table(
            connection,
            "marts",
            "mart_model_features",
            feature_review[list(FEATURE_REVIEW_TYPES)],
            FEATURE_REVIEW_TYPES,
        )


def save_models(models, models_dir: Path) -> Path:
    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"lead_model_{models.version}.joblib"
    joblib.dump(models, path)
    return path


def save_and_register(connection: duckdb.DuckDBPyConnection, models, models_dir: Path) -> Path:
    """A trained set of models: its file, its registry rows and its feature table."""
    path = save_models(models, models_dir)
    register(connection, models.registry_rows, path, models.feature_review)
    return path


def load_models(path: Path) -> object:
    return joblib.load(path)


def deployed_model_path(connection: duckdb.DuckDBPyConnection) -> Path | None:
    if not table_exists(connection, "ml", "model_registry"):
        return None
    rows = connection.execute(
        "select model_path from ml.model_registry where is_deployed order by trained_at desc limit 1"
    ).fetchall()
    return Path(rows[0][0]) if rows else None
