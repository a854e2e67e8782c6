"""Scoring configurations: the rule points, integrated weights and MQL threshold one score is made of.

``current`` is the seeds as they are in the warehouse. A variant (seed scoring_variants) is the current
configuration with its overrides. A directory of CSV files in the seeds' format (demographic_rules.csv,
behavior_rules.csv, bant_rules.csv, integrated_weights.csv, scoring_thresholds.csv; any subset) is the
current configuration with those files in place of the seeds: how an alternative rule set, or the
suggestion of the fitted rule points, is backtested before it is adopted.
"""

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from lead_evaluation.warehouse import read_frame

CURRENT = "current"
RULE_COLUMNS = ["rule_id", "score_component", "category", "rule_kind", "points", "valid_from", "valid_to"]
# What a demographic rule tests: the what-if scoring matches any configuration's demographic rules
# against the leads' attributes, so a rule set with new rules (the fitted scorecard) is scored too.
MATCH_COLUMNS = ["attribute", "operator", "value_text", "value_min", "value_max"]
WEIGHT_COLUMNS = ["weight_set", "score_component", "weight", "valid_from", "valid_to"]
THRESHOLD_COLUMNS = ["value", "valid_from", "valid_to"]

# Rule seeds by component, and the column that groups a component's rules into categories.
RULE_SEEDS = {
    "demographic": ("demographic_rules", "category"),
    "behavior": ("behavior_rules", "category"),
    "bant": ("bant_rules", "dimension"),
}


@dataclass(frozen=True)
class ScoringConfig:
    config_id: str
    description: str
    rules: pd.DataFrame
    weights: pd.DataFrame
    thresholds: pd.DataFrame


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    typed = frame[columns].copy()
    for column in ("valid_from", "valid_to"):
        typed[column] = pd.to_datetime(typed[column]).dt.date
    return typed


def _rules_from(frame: pd.DataFrame, component: str) -> pd.DataFrame:
    category_column = RULE_SEEDS[component][1]
    rules = frame.rename(columns={category_column: "category"}).assign(score_component=component)
    for column in ["rule_kind", *MATCH_COLUMNS]:
        if column not in rules:
            rules[column] = None
    rules["points"] = rules["points"].astype("int64")
    rules[["value_min", "value_max"]] = rules[["value_min", "value_max"]].astype("float64")
    return _typed(rules, RULE_COLUMNS + MATCH_COLUMNS)


def current_config(connection: duckdb.DuckDBPyConnection) -> ScoringConfig:
    rules = pd.concat(
        [
            _rules_from(read_frame(connection, f"select * from seeds.{seed}"), component)
            for component, (seed, _) in RULE_SEEDS.items()
        ],
        ignore_index=True,
    )
    weights = _typed(read_frame(connection, "select * from seeds.integrated_weights"), WEIGHT_COLUMNS)
    thresholds = _typed(
        read_frame(connection, "select * from seeds.scoring_thresholds where setting = 'mql_threshold'"),
        THRESHOLD_COLUMNS,
    )
    return ScoringConfig(CURRENT, "The rules in seeds/scoring as they are", rules, weights, thresholds)


def config_with_demographic_rules(
    base: ScoringConfig, config_id: str, demographic_rules: pd.DataFrame, weights: pd.DataFrame
) -> ScoringConfig:
    """The base configuration with other demographic rules and weights (rows in the seeds' columns)."""
    others = base.rules[base.rules["score_component"] != "demographic"]
    return replace(
        base,
        config_id=config_id,
        description=f"{config_id}: its own demographic rules and weights",
        rules=pd.concat([others, _rules_from(demographic_rules, "demographic")], ignore_index=True),
        weights=_typed(weights.astype({"weight": float}), WEIGHT_COLUMNS),
    )


def variant_configs(connection: duckdb.DuckDBPyConnection, base: ScoringConfig) -> list[ScoringConfig]:
    """Every variant of seed scoring_variants, as the base configuration with its overrides."""
    variants = read_frame(connection, "select * from seeds.scoring_variants order by variant_id")
    points = read_frame(connection, "select * from seeds.scoring_variant_rule_points")
    weights = read_frame(connection, "select * from seeds.scoring_variant_weights")
    configs = []
    for variant in variants.itertuples():
        rules = base.rules.copy()
        for override in points[points["variant_id"] == variant.variant_id].itertuples():
            matching = rules["rule_id"] == override.rule_id
            if not matching.any():
                raise ValueError(
                    f"Variant {variant.variant_id}: rule_id {override.rule_id} in seed "
                    "scoring_variant_rule_points "
                    "is not a demographic, behaviour or BANT rule. Fix the rule_id or remove the row."
                )
            rules.loc[matching, "points"] = int(override.points)
        variant_weights = base.weights.copy()
        for override in weights[weights["variant_id"] == variant.variant_id].itertuples():
            matching = (variant_weights["weight_set"] == override.weight_set) & (
                variant_weights["score_component"] == override.score_component
            )
            if not matching.any():
                raise ValueError(
                    f"Variant {variant.variant_id}: no weight "
                    f"{override.weight_set}/{override.score_component} "
                    "in seed integrated_weights to override."
                )
            variant_weights.loc[matching, "weight"] = float(override.weight)
        thresholds = base.thresholds
        if pd.notna(variant.mql_threshold):
            thresholds = thresholds.assign(value=float(variant.mql_threshold))
        configs.append(
            ScoringConfig(variant.variant_id, variant.description_en, rules, variant_weights, thresholds)
        )
    return configs


def _read_seed_file(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ValueError(f"Cannot read {path}: {error}") from error
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{path} lacks column(s) {', '.join(missing)} (found: {', '.join(frame.columns)}). "
            "Use the same columns as the seed of that name."
        )
    return frame


def config_from_directory(
    directory: Path, base: ScoringConfig, config_id: str | None = None
) -> ScoringConfig:
    """The base configuration with every seed file found in ``directory`` in place of its seed."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a directory of rule CSV files.")
    config = replace(base, config_id=config_id or directory.name, description=f"Rules from {directory}")
    found = False
    for component, (seed, category_column) in RULE_SEEDS.items():
        path = directory / f"{seed}.csv"
        if path.exists():
            found = True
            required = ["rule_id", category_column, "points", "valid_from", "valid_to"]
            frame = _read_seed_file(path, required + (MATCH_COLUMNS if component == "demographic" else []))
            others = config.rules[config.rules["score_component"] != component]
            config = replace(
                config, rules=pd.concat([others, _rules_from(frame, component)], ignore_index=True)
            )
    if (directory / "integrated_weights.csv").exists():
        found = True
        frame = _read_seed_file(directory / "integrated_weights.csv", WEIGHT_COLUMNS)
        config = replace(config, weights=_typed(frame.astype({"weight": float}), WEIGHT_COLUMNS))
    if (directory / "scoring_thresholds.csv").exists():
        found = True
        frame = _read_seed_file(directory / "scoring_thresholds.csv", ["setting", *THRESHOLD_COLUMNS])
        frame = frame[frame["setting"] == "mql_threshold"].astype({"value": float})
        config = replace(config, thresholds=_typed(frame, THRESHOLD_COLUMNS))
    if not found:
        raise ValueError(
            f"{directory} holds none of {', '.join(seed + '.csv' for seed, _ in RULE_SEEDS.values())}, "
            "integrated_weights.csv, scoring_thresholds.csv."
        )
    return config
