"""The leads evaluation learns from: decided long enough ago for the outcome to be known."""

from datetime import date

import duckdb
import pandas as pd

from lead_evaluation.warehouse import read_frame


class InsufficientOutcomesError(ValueError):
    """Too few mature outcomes for an evaluation or a model worth trusting (the message says what)."""


def mature_outcomes(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per lead whose decision moment is at least var conversion_maturity_days old."""
    return read_frame(
        connection,
        """
        select lead_id, created_date, decision_date, decision_month, channel_code, is_won, has_reached_sql
        from marts.fct_lead_outcomes
        where is_outcome_mature
        order by decision_date, lead_id
        """,
    )


def time_split_date(outcomes: pd.DataFrame, test_share: float) -> date:
    """The first decision date of the test period: the most recently decided ``test_share`` of leads
    are held out, so a model is always tested on leads decided after the ones it learned from."""
    if outcomes.empty:
        raise InsufficientOutcomesError(
            "No mature outcomes yet: no lead was decided at least var conversion_maturity_days ago."
        )
    ordered = outcomes["decision_date"].sort_values().reset_index(drop=True)
    return ordered.iloc[min(int(len(ordered) * (1 - test_share)), len(ordered) - 1)]
