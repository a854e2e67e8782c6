"""The leakage guard on planted leaks: a field filled only for won leads, a quality grade sales fills in
after contact, a last-activity field, and an honest strong signal that must be kept."""

import duckdb
import numpy as np

from lead_evaluation import model_registry, predictive
from lead_evaluation.settings import EvaluationSettings

PLANTED = """
with leads as (
    select
        outcomes.lead_id, outcomes.decision_date, outcomes.is_won,
        funnel.first_mql_at is not null as handed_off, cast(hash(outcomes.lead_id) % 1000 as integer) as noise
    from marts.fct_lead_outcomes as outcomes inner join marts.fct_lead_funnel as funnel using (lead_id)
)
select lead_id, 'decision', decision_date, attribute, value_text, value_number from (
    -- Filled in when the deal was won.
    select *, 'deal_tag' as attribute, '受注済' as value_text, null as value_number from leads where is_won
    union all
    -- A grade sales gives after contact: only handed-off leads have one.
    select *, 'lead_quality', case when is_won or noise % 3 = 0 then 'A' else 'C' end, null
    from leads where handed_off
    union all
    -- A rank the export profile declares `known: after_contact` (int_custom_attributes).
    select *, 'sales_rank', ['1', '2', '3'][1 + noise % 3], null from leads
    union all
    -- Named like a field sales keeps, though it is noise.
    select *, 'last_touch_memo', ['電話', 'メール', '訪問'][1 + noise % 3], null from leads
    union all
    -- Known at creation for every lead, and strongly related to winning (single-feature AUC about 0.82).
    select *, 'honest_signal', null, case when is_won then 0.4 else 0.0 end + noise / 1000.0
    from leads
)
"""


def test_planted_leaks_are_excluded_and_the_honest_signal_is_kept(scratch_warehouse, tmp_path):
    settings = EvaluationSettings(
        prediction_min_positive_outcomes=5,
        prediction_min_training_leads=50,
        prediction_excluded_features=("department",),
    )
    with duckdb.connect(str(scratch_warehouse)) as connection:
        connection.execute(f"insert into intermediate.int_lead_attributes {PLANTED}")
        # The planted columns are custom ones, as their export profile would declare them.
        connection.execute(
            "insert into intermediate.int_custom_attributes values "
            "('deal_tag', 'lead', 'before_decision', false, true), "
            "('lead_quality', 'lead', 'before_decision', false, true), "
            "('last_touch_memo', 'lead', 'before_decision', false, true), "
            "('honest_signal', 'lead', 'before_decision', false, true), "
            "('sales_rank', 'lead', 'after_contact', false, false)"
        )
        models = predictive.train_models(connection, settings)
        model_registry.save_and_register(connection, models, tmp_path)
        review = connection.execute("select * from marts.mart_model_features").df().set_index("feature")
    status, reasons = review["status"], review["reasons"].fillna("")
    assert status["deal_tag"] == "excluded" and "fill_rate_gap_won_vs_lost" in reasons["deal_tag"]
    assert status["lead_quality"] == "excluded" and "filled_only_after_handoff" in reasons["lead_quality"]
    assert status["last_touch_memo"] == "used_flagged" and reasons["last_touch_memo"].startswith(
        "suspicious_name"
    )
    assert status["honest_signal"] == "used" and reasons["honest_signal"] == ""
    assert status["department"] == "excluded_by_setting"
    assert status["sales_rank"] == "known_after_contact"
    assert review.loc["honest_signal", "feature_kind"] == "custom_attribute"
    assert review.loc["crm_status", "status"] in ("used", "empty")  # a built-in 'status' is point in time
    used = set(np.concatenate([models.numeric, models.categorical]))
    assert {"honest_signal", "last_touch_memo"} <= used
    assert not {"deal_tag", "lead_quality", "department", "sales_rank"} & used
