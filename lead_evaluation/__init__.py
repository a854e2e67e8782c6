"""Evaluation of lead scores against outcomes: backtests of scoring configurations, A/B tests of
scoring variants, a predictive score, rule points fitted from outcomes, all written to the warehouse."""
