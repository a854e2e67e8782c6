"""``python -m lead_evaluation``: the backtest, A/B tests, fitted rule points and model training from
the command line, on the warehouse file of LEAD_WAREHOUSE_DUCKDB_PATH (built by ``make demo`` or a
refresh). Every command prints its result and writes the same marts as the Dagster assets."""

import argparse
import sys
from pathlib import Path

import duckdb

from lead_evaluation import (
    ab_testing,
    backtest,
    fitted_weights,
    model_registry,
    predictions,
    predictive,
    scorecard,
)
from lead_evaluation.settings import load_settings
from scoring_udfs.dbt_plugin import apply_resource_limits
from warehouse_core import settings


def _backtest(connection: duckdb.DuckDBPyConnection, args) -> None:
    directories = list(args.rules_dir)
    if not args.without_suggested:
        directories += settings.fitted_rule_dirs()
    result = backtest.run_backtest(connection, load_settings(connection), directories)
    print(backtest.format_summary(result))
    print("\nConversion by score band at the decision moment:")
    bands = result.bands.pivot_table(
        index=["sort_order", "score_band"], columns="score_name", values="conversion_rate"
    ).droplevel(0)
    print(bands.to_string(float_format=lambda value: f"{value:.1%}"))
    if not args.dry_run:
        backtest.publish_backtest(connection, result)
        print(f"\nWritten: {', '.join('marts.' + name for name in result.table_names())}")


def _ab_tests(connection: duckdb.DuckDBPyConnection, args) -> None:
    tables = ab_testing.run_ab_tests(connection)
    print(tables["mart_ab_test_arms"].to_string(index=False))
    print(tables["mart_ab_test_results"].T.to_string(header=False))
    if not args.dry_run:
        ab_testing.publish_ab_tests(connection, tables)


def _fit_weights(connection: duckdb.DuckDBPyConnection, args) -> None:
    fitted = fitted_weights.fit_rule_points(connection, load_settings(connection))
    changed = fitted[fitted["suggested_points"] != fitted["current_points"]]
    print(
        changed[
            [
                "rule_id",
                "score_component",
                "current_points",
                "suggested_points",
                "coefficient",
                "training_leads_with_rule",
            ]
        ].to_string(index=False)
    )
    if not args.dry_run:
        _, written = fitted_weights.publish_fitted_points(
            connection, fitted, settings.DBT_PROJECT_DIR / "seeds" / "scoring", settings.suggested_rules_dir()
        )
        print(f"\nSuggested seeds: {written[0].parent} (diff them against dbt_project/seeds/scoring)")


def _fit_scorecard(connection: duckdb.DuckDBPyConnection, args) -> None:
    fitted = scorecard.fit_scorecard(connection, load_settings(connection))
    print(scorecard.format_scorecard(fitted, top=len(fitted.rules)))
    left = fitted.features[fitted.features["status"] != "used"]
    if not left.empty:
        print("\nAttributes without a rule:\n" + left.to_string(index=False))
    if not args.dry_run:
        written = scorecard.publish_scorecard(connection, fitted, settings.scorecard_rules_dir())
        print(f"\nScorecard seeds: {written[0].parent} (backtest them: python -m lead_evaluation backtest)")


def _train(connection: duckdb.DuckDBPyConnection, args) -> None:
    models = predictive.train_models(connection, load_settings(connection))
    for row in models.registry_rows:
        print(
            f"{row['model_version']}: test AUC {row['test_auc']:.3f}, Brier {row['test_brier']:.4f}, "
            f"calibration error {row['test_calibration_error']:.4f}"
            f"{'  (deployed)' if row['is_deployed'] else ''}"
        )
    print(f"Excluded by the leakage guard: {models.registry_rows[0]['excluded_features']}")
    if not args.dry_run:
        path = model_registry.save_and_register(connection, models, settings.models_dir())
        blend = load_settings(connection).prediction_blend_weight
        rows = predictions.publish_predictions(
            connection, predictions.predict(connection, models, models.deployed_version, blend)
        )
        print(f"Model saved to {path}; {rows} predictions written to marts.fct_lead_predictions")


COMMANDS = {
    "backtest": _backtest,
    "ab-tests": _ab_tests,
    "fit-weights": _fit_weights,
    "fit-scorecard": _fit_scorecard,
    "train": _train,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lead_evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument(
        "--database", type=Path, default=None, help="warehouse file (default: the configured one)"
    )
    parser.add_argument(
        "--rules-dir",
        type=Path,
        action="append",
        default=[],
        help="backtest: a folder of rule CSVs in the seeds' format, as one more configuration",
    )
    parser.add_argument(
        "--without-suggested",
        action="store_true",
        help="backtest: leave out the rule sets of the last fits (suggested points, fitted scorecard)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print only; write nothing")
    args = parser.parse_args(argv)
    database = args.database or settings.warehouse_path()
    if not database.exists():
        print(f"No warehouse at {database}: run `make demo` (or a refresh) first.", file=sys.stderr)
        return 2
    with duckdb.connect(str(database), read_only=args.dry_run) as connection:
        apply_resource_limits(connection)
        try:
            COMMANDS[args.command](connection, args)
        except (ValueError, duckdb.CatalogException) as error:
            print(f"{args.command}: {error}", file=sys.stderr)
            return 1
    return 0
