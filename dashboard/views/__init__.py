"""The dashboard's pages, one module per audience, each with a ``render()``."""

import streamlit as st

from dashboard.filters import Filters


def current_filters() -> Filters:
    """The sidebar's choices (dashboard/app.py sets them before the page renders)."""
    return st.session_state["filters"]
