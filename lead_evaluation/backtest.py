"""Backtest: every scoring configuration (and the predictive and blended scores, once trained) scored
as of each lead's decision moment and compared with what happened afterwards."""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from lead_evaluation import metrics
from lead_evaluation.configs import CURRENT, config_from_directory, current_config, variant_configs
from lead_evaluation.outcomes import InsufficientOutcomesError, mature_outcomes, time_split_date
from lead_evaluation.rescoring import rescore
from lead_evaluation.settings import EvaluationSettings
from lead_evaluation.warehouse import read_frame, replace_table, table_exists

MART_PREFIX = "mart_backtest_"


@dataclass(frozen=True)
class Scorer:
    """Scores of the decision moment: lead_id, score (0-100), is_mql (rules and blended scores only),
    probability (the predictive score's own; others get one by Platt scaling)."""

    name: str
    kind: str
    scores: pd.DataFrame


@dataclass(frozen=True)
class BacktestResult:
    summary: pd.DataFrame
    deciles: pd.DataFrame
    bands: pd.DataFrame
    calibration: pd.DataFrame
    mql_flips: pd.DataFrame
    rules_not_judged: pd.DataFrame

    @staticmethod
    def table_names() -> list[str]:
        parts = ("summary", "deciles", "bands", "calibration", "mql_flips", "rules_not_judged")
        return [MART_PREFIX + part for part in parts]

    def tables(self) -> dict[str, pd.DataFrame]:
        frames = [
            self.summary,
            self.deciles,
            self.bands,
            self.calibration,
            self.mql_flips,
            self.rules_not_judged,
        ]
        return dict(zip(self.table_names(), frames, strict=True))


def rules_not_judged(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Behaviour rules in force that cannot fire at the decision moment: their column holds aggregated
    behaviour the export profile does not declare known before the decision (int_custom_attributes), so
    they score today's leads but the backtest cannot say whether they predict anything."""
    return read_frame(
        connection,
        """
        select rules.rule_id, rules.event_type as attribute, rules.points,
            'aggregated behaviour known only as of the export: declare the column known: at_creation or '
            || 'before_decision in its export profile if the list was exported by then' as reason
        from seeds.behavior_rules as rules
        inner join intermediate.int_custom_attributes as custom
            on rules.event_type = custom.attribute
        where rules.valid_to is null and not custom.is_known_at_decision and custom.known <> 'after_contact'
            and exists (
                select 1 from intermediate.int_lead_attributes as attributes
                where attributes.attribute = rules.event_type and attributes.scoring_moment = 'as_of'
            )
        order by rules.rule_id
        """,
    )


def rule_scorers(connection: duckdb.DuckDBPyConnection, config_dirs: list[Path]) -> list[Scorer]:
    """The current rules, every variant of seed scoring_variants, and each directory of rule CSVs."""
    base = current_config(connection)
    configs = [base, *variant_configs(connection, base)]
    configs += [config_from_directory(directory, base) for directory in config_dirs]
    decision = rescore(connection, configs).query("scoring_moment == 'decision'")
    return [
        Scorer(
            config.config_id,
            "rules",
            decision.loc[
                decision["config_id"] == config.config_id, ["lead_id", "total_score", "is_mql"]
            ].rename(columns={"total_score": "score"}),
        )
        for config in configs
    ]


def predictive_scorers(connection: duckdb.DuckDBPyConnection) -> list[Scorer]:
    """The predictive probability and the blended score at the decision moment, when predictions exist."""
    if not table_exists(connection, "marts", "fct_lead_predictions"):
        return []
    predictions = read_frame(
        connection,
        "select lead_id, predicted_probability, predictive_score, blended_score, is_score_qualified_blended "
        "from marts.fct_lead_predictions where scoring_moment = 'decision'",
    )
    return [
        Scorer(
            "predictive",
            "predictive",
            predictions.assign(
                score=predictions["predictive_score"],
                probability=predictions["predicted_probability"],
                is_mql=None,
            )[["lead_id", "score", "probability", "is_mql"]],
        ),
        Scorer(
            "blended",
            "blended",
            predictions.rename(columns={"blended_score": "score", "is_score_qualified_blended": "is_mql"})[
                ["lead_id", "score", "is_mql"]
            ],
        ),
    ]


def _bands(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return read_frame(
        connection,
        "select band_code, min_score, max_score, sort_order from seeds.score_bands "
        "where band_type = 'total' order by sort_order",
    )


def _band_table(name: str, frame: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for band in bands.itertuples():
        inside = (frame["score"] >= band.min_score) & (
            frame["score"] < band.max_score if pd.notna(band.max_score) else True
        )
        leads, won = int(inside.sum()), int(frame.loc[inside, "is_won"].sum())
        rows.append(
            {
                "score_name": name,
                "score_band": band.band_code,
                "sort_order": band.sort_order,
                "leads": leads,
                "won": won,
                "conversion_rate": won / leads if leads else None,
            }
        )
    return pd.DataFrame(rows)


def run_backtest(
    connection: duckdb.DuckDBPyConnection, settings: EvaluationSettings, config_dirs: list[Path] = ()
) -> BacktestResult:
    outcomes = mature_outcomes(connection)
    if outcomes.empty or outcomes["is_won"].nunique() < 2:
        raise InsufficientOutcomesError(
            "The backtest needs mature leads with both won and not-won outcomes (leads decided at least "
            "var conversion_maturity_days ago). There are none yet: load more history or wait."
        )
    split = time_split_date(outcomes, settings.prediction_test_share)
    bands = _bands(connection)
    scorers = rule_scorers(connection, list(config_dirs)) + predictive_scorers(connection)
    current = next(s for s in scorers if s.name == CURRENT).scores.set_index("lead_id")
    summaries, decile_tables, band_tables, calibration_tables, flips = [], [], [], [], []
    for scorer in scorers:
        frame = outcomes.merge(scorer.scores, on="lead_id", how="inner")
        frame["score"] = frame["score"].astype(float)
        train, test = frame[frame["decision_date"] < split], frame[frame["decision_date"] >= split]
        if "probability" in frame:
            probability = test["probability"].to_numpy(float)
        else:
            probability = metrics.platt_probability(train["score"], train["is_won"], test["score"])
        calibration_table, brier, ece = metrics.calibration(
            test["is_won"], probability, settings.calibration_bins
        )
        has_mql = frame["is_mql"].notna().all()
        precision, recall = (
            metrics.precision_recall(frame["is_won"], frame["is_mql"]) if has_mql else (None, None)
        )
        decile_table = metrics.deciles(frame["is_won"], frame["score"])
        test_deciles = metrics.deciles(test["is_won"], test["score"])
        flipped = pd.DataFrame()
        if has_mql and scorer.name != CURRENT:
            compared = frame.join(current[["score", "is_mql"]].add_prefix("current_"), on="lead_id")
            flipped = compared[compared["is_mql"].astype(bool) != compared["current_is_mql"].astype(bool)]
            flips.append(
                pd.DataFrame(
                    {
                        "score_name": scorer.name,
                        "lead_id": flipped["lead_id"],
                        "decision_date": flipped["decision_date"],
                        "current_score": flipped["current_score"].astype(float),
                        "score": flipped["score"],
                        "flip": np.where(
                            flipped["is_mql"].astype(bool),
                            "becomes_score_qualified",
                            "stops_being_score_qualified",
                        ),
                        "is_won": flipped["is_won"],
                    }
                )
            )
        summaries.append(
            {
                "score_name": scorer.name,
                "score_kind": scorer.kind,
                "leads": len(frame),
                "won": int(frame["is_won"].sum()),
                "auc": metrics.auc(frame["is_won"], frame["score"]),
                "test_from": split,
                "test_leads": len(test),
                "test_won": int(test["is_won"].sum()),
                "test_auc": metrics.auc(test["is_won"], test["score"]),
                "test_brier": brier,
                "test_calibration_error": ece,
                "score_qualified_leads": int(frame["is_mql"].sum()) if has_mql else None,
                "precision_at_mql": precision,
                "recall_at_mql": recall,
                "top_decile_lift": float(decile_table.loc[decile_table["decile"] == 1, "lift"].iloc[0]),
                "test_top_decile_lift": float(test_deciles.loc[test_deciles["decile"] == 1, "lift"].iloc[0]),
                "mql_flips_vs_current": len(flipped) if has_mql and scorer.name != CURRENT else None,
            }
        )
        decile_tables.append(decile_table.assign(score_name=scorer.name))
        band_tables.append(_band_table(scorer.name, frame, bands))
        calibration_tables.append(calibration_table.assign(score_name=scorer.name))
    first = ["score_name"]
    return BacktestResult(
        summary=pd.DataFrame(summaries).astype(
            {"score_qualified_leads": "Int64", "mql_flips_vs_current": "Int64"}
        ),
        deciles=_first(pd.concat(decile_tables, ignore_index=True), first),
        bands=pd.concat(band_tables, ignore_index=True),
        calibration=_first(pd.concat(calibration_tables, ignore_index=True), first),
        mql_flips=pd.concat(flips, ignore_index=True)
        if flips
        else pd.DataFrame(
            columns=["score_name", "lead_id", "decision_date", "current_score", "score", "flip", "is_won"]
        ),
        rules_not_judged=rules_not_judged(connection),
    )


def _first(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns + [column for column in frame.columns if column not in columns]]


COLUMN_TYPES = {
    "test_from": "date",
    "decision_date": "date",
    "score_qualified_leads": "bigint",
    "mql_flips_vs_current": "bigint",
    "precision_at_mql": "double",
    "recall_at_mql": "double",
    "auc": "double",
    "test_auc": "double",
    "current_score": "double",
    "score": "double",
    "lead_id": "varchar",
    "flip": "varchar",
    "is_won": "boolean",
    "rule_id": "varchar",
    "attribute": "varchar",
    "points": "integer",
    "reason": "varchar",
}


def publish_backtest(connection: duckdb.DuckDBPyConnection, result: BacktestResult) -> dict[str, int]:
    return {
        name: replace_table(connection, "marts", name, frame, COLUMN_TYPES)
        for name, frame in result.tables().items()
    }


def format_summary(result: BacktestResult) -> str:
    """The summary as a fixed-width table for the terminal and the Dagster log."""
    columns = {
        "score_name": "score",
        "leads": "leads",
        "won": "won",
        "auc": "AUC (all)",
        "test_auc": "test AUC",
        "test_brier": "Brier",
        "test_calibration_error": "cal.err",
        "precision_at_mql": "prec@MQL",
        "recall_at_mql": "recall@MQL",
        "test_top_decile_lift": "test lift D1",
        "mql_flips_vs_current": "MQL flips",
    }
    table = result.summary[list(columns)].rename(columns=columns)
    text = table.to_string(index=False, float_format=lambda value: f"{value:.3f}", na_rep="-")
    for rule in result.rules_not_judged.itertuples():
        text += f"\nNot judged: {rule.rule_id} ({rule.attribute}): {rule.reason}"
    return text
