"""The scores side by side, for the summary and the weekly report: each score's backtest figures on the
most recently decided leads, and the fitted scorecard's strongest rules."""

SCORES_SIDE_BY_SIDE = """
select score_name, test_leads, test_won, test_auc, test_calibration_error, test_top_decile_lift
from marts.mart_backtest_summary
order by case score_name when 'current' then 0 when 'fitted_scorecard' then 1 when 'predictive' then 3
    when 'blended' then 4 else 2 end, score_name
"""

SCORECARD_TOP_RULES = """
select rule_id, label_ja, points, training_leads, training_won, won_rate
from marts.mart_scorecard_rules
order by abs(points) desc, rule_id
limit ?
"""
