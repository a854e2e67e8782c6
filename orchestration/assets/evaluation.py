"""Evaluation assets: fitted rule points and the predictive model (trained weekly by
retrain_models_job), predictions, the backtest and the A/B tests (refreshed with the warehouse)."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from lead_evaluation import (
    ab_testing,
    backtest,
    fitted_weights,
    model_registry,
    predictions,
    predictive,
    scorecard,
)
from lead_evaluation.outcomes import InsufficientOutcomesError
from lead_evaluation.settings import load_settings
from orchestration.assets.publish import BUILD_STARTED
from orchestration.resources import WarehouseResource
from warehouse_core import settings

GROUP = "evaluation"
_SCORING_INPUTS = [
    AssetKey(["intermediate", "int_lead_rule_evidence"]),
    AssetKey(["intermediate", "int_lead_evaluation_moments"]),
    AssetKey(["marts", "fct_lead_outcomes"]),
]
# Training runs in its own job: it starts the build copy too (and the publish asset ends it).
_TRAINING_INPUTS = [*_SCORING_INPUTS, BUILD_STARTED]
FITTED_RULE_POINTS = AssetKey(["marts", "mart_fitted_rule_points"])
SCORECARD = AssetKey(["marts", "mart_scorecard_rules"])
SCORECARD_FEATURES = AssetKey(["marts", "mart_scorecard_features"])
PREDICTION_MODEL = AssetKey(["ml", "model_registry"])
PREDICTIONS = AssetKey(["marts", "fct_lead_predictions"])


@asset(
    key=FITTED_RULE_POINTS,
    group_name=GROUP,
    deps=_TRAINING_INPUTS,
    kinds={"python", "duckdb"},
    description="Rule points fitted from outcomes, and suggested rule seed CSVs to diff and backtest.",
)
def fitted_rule_points(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect() as connection:
        try:
            fitted = fitted_weights.fit_rule_points(connection, load_settings(connection))
        except InsufficientOutcomesError as reason:
            context.log.warning(str(reason))
            return MaterializeResult(metadata={"status": "skipped", "reason": str(reason)})
        rows, written = fitted_weights.publish_fitted_points(
            connection, fitted, settings.DBT_PROJECT_DIR / "seeds" / "scoring", settings.suggested_rules_dir()
        )
    changed = fitted[fitted["suggested_points"] != fitted["current_points"]]
    context.log.info(f"{len(changed)} of {rows} rules would change; suggested seeds in {written[0].parent}")
    return MaterializeResult(
        metadata={
            "rules": rows,
            "rules_changed": len(changed),
            "suggested_seeds": MetadataValue.path(str(written[0].parent)),
        }
    )


@multi_asset(
    specs=[
        AssetSpec(
            key,
            deps=_TRAINING_INPUTS + [AssetKey(["intermediate", "int_lead_attributes"])],
            group_name=GROUP,
            kinds={"scikit-learn", "duckdb"},
            description=description,
        )
        for key, description in (
            (
                SCORECARD,
                "A points table fitted from outcomes over every attribute known at the decision, as rule "
                "seed CSVs to diff, backtest and adopt.",
            ),
            (SCORECARD_FEATURES, "Every attribute the fitted scorecard could use, and what it made of it."),
        )
    ],
    can_subset=False,
)
def fitted_scorecard(context: AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        try:
            fitted = scorecard.fit_scorecard(connection, load_settings(connection))
        except InsufficientOutcomesError as reason:
            context.log.warning(str(reason))
            for key in (SCORECARD, SCORECARD_FEATURES):
                yield MaterializeResult(asset_key=key, metadata={"status": "skipped", "reason": str(reason)})
            return
        written = scorecard.publish_scorecard(connection, fitted, settings.scorecard_rules_dir())
    context.log.info("Fitted scorecard:\n" + scorecard.format_scorecard(fitted))
    yield MaterializeResult(
        asset_key=SCORECARD,
        metadata={"rules": len(fitted.rules), "seeds": MetadataValue.path(str(written[0].parent))},
    )
    yield MaterializeResult(asset_key=SCORECARD_FEATURES, metadata={"attributes": len(fitted.features)})


@asset(
    key=PREDICTION_MODEL,
    group_name=GROUP,
    deps=_TRAINING_INPUTS + [AssetKey(["intermediate", "int_lead_attributes"])],
    kinds={"scikit-learn", "duckdb"},
    description="Trains the predictive models on mature leads (time-based split) and registers them.",
)
def lead_prediction_model(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect() as connection:
        try:
            models = predictive.train_models(connection, load_settings(connection))
        except InsufficientOutcomesError as refusal:
            context.log.warning(str(refusal))
            model_registry.register(connection, [model_registry.refusal_row(str(refusal))], None)
            return MaterializeResult(metadata={"status": "refused", "reason": str(refusal)})
        path = model_registry.save_and_register(connection, models, settings.models_dir())
    deployed = next(row for row in models.registry_rows if row["is_deployed"])
    return MaterializeResult(
        metadata={
            "status": "trained",
            "deployed": deployed["model_version"],
            "test_auc": deployed["test_auc"],
            "test_brier": deployed["test_brier"],
            "train_leads": deployed["train_leads"],
            "excluded_features": deployed["excluded_features"],
            "path": MetadataValue.path(str(path)),
        }
    )


@asset(
    key=PREDICTIONS,
    group_name=GROUP,
    kinds={"scikit-learn", "duckdb"},
    deps=[PREDICTION_MODEL, AssetKey(["intermediate", "int_lead_scores"])],
    description="Predicted probability of winning, blended score and top contributions for every lead.",
)
def lead_predictions(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    with warehouse.connect() as connection:
        path = model_registry.deployed_model_path(connection)
        if path is None or not path.exists():
            context.log.warning("No trained model yet: run retrain_models_job (make retrain) to train one.")
            return MaterializeResult(metadata={"status": "no deployed model"})
        models = model_registry.load_models(path)
        blend_weight = load_settings(connection).prediction_blend_weight
        predicted = predictions.predict(connection, models, models.deployed_version, blend_weight)
        rows = predictions.publish_predictions(connection, predicted)
    return MaterializeResult(
        metadata={"rows": rows, "model_version": models.deployed_version, "blend_weight": blend_weight}
    )


@multi_asset(
    specs=[
        AssetSpec(
            ["marts", name],
            deps=_SCORING_INPUTS + [PREDICTIONS, FITTED_RULE_POINTS, SCORECARD],
            group_name=GROUP,
            kinds={"python", "duckdb"},
        )
        for name in backtest.BacktestResult.table_names()
    ],
    can_subset=False,
)
def backtest_marts(context: AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        try:
            result = backtest.run_backtest(connection, load_settings(connection), settings.fitted_rule_dirs())
        except InsufficientOutcomesError as reason:
            # Nothing to evaluate yet (a new team has no won deal): the step is done, and publishing
            # the rest of the warehouse must not wait for outcomes.
            context.log.warning(f"Backtest skipped: {reason}")
            for name in backtest.BacktestResult.table_names():
                yield MaterializeResult(
                    asset_key=["marts", name], metadata={"status": "skipped", "reason": str(reason)}
                )
            return
        rows = backtest.publish_backtest(connection, result)
    context.log.info(
        "Backtest (decision-moment scores against outcomes):\n" + backtest.format_summary(result)
    )
    for name, count in rows.items():
        yield MaterializeResult(asset_key=["marts", name], metadata={"rows": count})


@multi_asset(
    specs=[
        AssetSpec(["marts", name], deps=_SCORING_INPUTS, group_name=GROUP, kinds={"python", "duckdb"})
        for name in ab_testing.TABLE_NAMES
    ],
    can_subset=False,
)
def ab_test_marts(context: AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        tables = ab_testing.run_ab_tests(connection)
        rows = ab_testing.publish_ab_tests(connection, tables)
    for result in tables["mart_ab_test_results"].itertuples():
        context.log.info(f"A/B test {result.test_id}: {result.verdict} (p = {result.p_value})")
    for name, count in rows.items():
        yield MaterializeResult(asset_key=["marts", name], metadata={"rows": count})


TRAINING_ASSETS = [FITTED_RULE_POINTS, SCORECARD, SCORECARD_FEATURES, PREDICTION_MODEL]
evaluation_assets = [
    fitted_rule_points,
    fitted_scorecard,
    lead_prediction_model,
    lead_predictions,
    backtest_marts,
    ab_test_marts,
]
