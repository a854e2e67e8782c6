"""The tables lead_evaluation writes are documented column by column (sources of
models/marts/evaluation/_evaluation__python_tables.yml), like the dbt marts."""

import json

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
from lead_evaluation.settings import EvaluationSettings
from orchestration.project import dbt_project


def test_every_table_lead_evaluation_writes_is_documented(scratch_warehouse, tmp_path):
    settings = EvaluationSettings(prediction_min_positive_outcomes=5, prediction_min_training_leads=50)
    with duckdb.connect(str(scratch_warehouse)) as connection:
        fitted = fitted_weights.fit_rule_points(connection, settings)
        fitted_weights.publish_fitted_points(
            connection, fitted, dbt_project.project_dir / "seeds" / "scoring", tmp_path / "suggested_rules"
        )
        scorecard.publish_scorecard(
            connection, scorecard.fit_scorecard(connection, settings), tmp_path / "fitted_scorecard"
        )
        models = predictive.train_models(connection, settings)
        model_registry.save_and_register(connection, models, tmp_path)
        predictions.publish_predictions(connection, predictions.predict(connection, models, "v", 0.3))
        backtest.publish_backtest(
            connection,
            backtest.run_backtest(
                connection, settings, [tmp_path / "suggested_rules", tmp_path / "fitted_scorecard"]
            ),
        )
        ab_testing.publish_ab_tests(connection, ab_testing.run_ab_tests(connection))
        built = {
            (schema, table): set(columns)
            for schema, table, columns in connection.execute(
                "select table_schema, table_name, list(column_name) from information_schema.columns "
                "group by all"
            ).fetchall()
        }
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    sources = [s for s in manifest["sources"].values() if s["source_name"] in ("lead_evaluation", "ml")]
    assert len(sources) == 15
    problems = []
    for source in sources:
        documented = {name for name, column in source["columns"].items() if column.get("description")}
        columns = built.get((source["schema"], source["name"]), set())
        if not columns:
            problems.append(f"{source['name']}: not written")
        if columns - documented:
            problems.append(f"{source['name']}: undocumented {sorted(columns - documented)}")
        if documented - columns:
            problems.append(f"{source['name']}: documented but missing {sorted(documented - columns)}")
    assert not problems, "\n".join(problems)
