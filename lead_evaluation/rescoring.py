"""Score every lead at its decision and as-of moments under any number of scoring configurations."""

from pathlib import Path

import duckdb
import pandas as pd

from lead_evaluation.configs import ScoringConfig

RESCORING_SQL = (Path(__file__).with_name("rescoring.sql")).read_text(encoding="utf-8")


def _stacked(configs: list[ScoringConfig], attribute: str) -> pd.DataFrame:
    return pd.concat(
        [getattr(config, attribute).assign(config_id=config.config_id) for config in configs],
        ignore_index=True,
    )


def rescore(connection: duckdb.DuckDBPyConnection, configs: list[ScoringConfig]) -> pd.DataFrame:
    """One row per configuration x lead x moment (decision, as_of): component scores, total, is_mql."""
    ids = [config.config_id for config in configs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Configuration ids must be unique, got {ids}.")
    tables = {
        "config_rules": _stacked(configs, "rules").astype({"points": "int64"}),
        "config_weights": _stacked(configs, "weights").astype({"weight": "float64"}),
        "config_thresholds": _stacked(configs, "thresholds").astype({"value": "float64"}),
    }
    for name, frame in tables.items():
        connection.register(name, frame)
    try:
        return connection.execute(RESCORING_SQL).df()
    finally:
        for name in tables:
            connection.unregister(name)
