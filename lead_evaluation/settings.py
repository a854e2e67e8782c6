"""Evaluation settings: the seed evaluation_settings (one row per setting), typed."""

from dataclasses import dataclass, fields

import duckdb
import pandas as pd

from lead_evaluation.warehouse import read_frame


@dataclass(frozen=True)
class EvaluationSettings:
    prediction_min_positive_outcomes: int = 50
    prediction_min_training_leads: int = 500
    prediction_test_share: float = 0.25
    prediction_model: str = "best"
    prediction_blend_weight: float = 0.3
    prediction_allowed_features: tuple[str, ...] = ()
    prediction_excluded_features: tuple[str, ...] = ()
    leakage_max_single_feature_auc: float = 0.9
    leakage_min_share_after_decision: float = 0.01
    leakage_max_fill_rate_gap: float = 0.3
    leakage_close_to_model_auc: float = 0.02
    calibration_bins: int = 10
    fitted_points_regularization: float = 1.0
    scorecard_max_rules: int = 40
    scorecard_max_bins: int = 5
    scorecard_min_bin_share: float = 0.05
    scorecard_min_information_value: float = 0.03
    scorecard_merge_p_value: float = 0.05

    @classmethod
    def from_rows(cls, rows: dict[str, str | None]) -> "EvaluationSettings":
        """Typed settings from setting -> text; unknown settings are an error (a typo would be ignored)."""
        known = {field.name: field for field in fields(cls)}
        unknown = sorted(set(rows) - set(known))
        if unknown:
            raise ValueError(
                f"Unknown setting(s) in seed evaluation_settings: {', '.join(unknown)}. "
                f"Known settings: {', '.join(sorted(known))}."
            )
        values = {}
        for name, text in rows.items():
            default = known[name].default
            if pd.isna(text) or str(text).strip() == "":
                values[name] = () if isinstance(default, tuple) else default
            elif isinstance(default, tuple):
                values[name] = tuple(part.strip() for part in str(text).split("|") if part.strip())
            else:
                values[name] = type(default)(text)
        return cls(**values)


def load_settings(connection: duckdb.DuckDBPyConnection) -> EvaluationSettings:
    frame = read_frame(connection, "select setting, value from seeds.evaluation_settings")
    return EvaluationSettings.from_rows(dict(zip(frame["setting"], frame["value"], strict=True)))
