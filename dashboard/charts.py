"""The chart every page draws: lines over time, one per series, labelled in Japanese and English."""

import altair as alt
import pandas as pd
import streamlit as st


def lines_over_time(
    frame: pd.DataFrame, time: str, value: str, series: str, x_title: str, y_title: str
) -> None:
    """``time`` is a Vega-Lite field with its type (e.g. ``yearmonth(kpi_month):T``)."""
    st.altair_chart(
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(time, title=x_title),
            y=alt.Y(f"{value}:Q", title=y_title),
            color=alt.Color(f"{series}:N", title=None),
        ),
        use_container_width=True,
    )
