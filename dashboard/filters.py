"""The sidebar's filters (period, channel, owner, score band), shared by every page, and the SQL
conditions they become. An empty choice means every value."""

from dataclasses import dataclass, field
from datetime import date

import streamlit as st

from dashboard.labels import label
from dashboard.warehouse import query

# The period a page opens with: the last months up to the newest one.
DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    channels: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)

    def where(
        self,
        month: str | None = None,
        channel: str | None = None,
        owner: str | None = None,
        band: str | None = None,
    ) -> tuple[str, dict]:
        """A SQL condition on the given columns and its parameters (only those it uses)."""
        conditions, parameters = [], {}
        if month:
            conditions.append(f"{month} between $start and $end")
            parameters.update(start=self.start, end=self.end)
        for column, name, values in (
            (channel, "channels", self.channels),
            (owner, "owners", self.owners),
            (band, "bands", self.bands),
        ):
            if column and values:
                conditions.append(f"list_contains(${name}, {column})")
                parameters[name] = values
        return " and ".join(conditions) or "true", parameters


def _options(sql: str) -> dict[str, str]:
    frame = query(sql)
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))


def sidebar_filters() -> Filters:
    st.sidebar.header(label("filters"))
    months = [
        value.date() if hasattr(value, "date") else value
        for value in query("select distinct kpi_month from marts.mart_kpi_monthly order by 1")["kpi_month"]
    ]
    if not months:
        st.warning("まだ月次KPIがありません。No monthly KPIs yet: refresh the warehouse with your exports.")
        st.stop()
    start, end = st.sidebar.select_slider(
        label("period"),
        options=months,
        value=(months[max(0, len(months) - DEFAULT_MONTHS)], months[-1]),
        format_func=lambda month: month.strftime("%Y-%m"),
        key="period",
    )
    channels = _options(
        "select channel_code, channel_name_ja || ' ' || channel_name_en from marts.dim_channels order by 1"
    )
    owners = _options("select user_id, user_name from marts.dim_sales_reps order by user_name, user_id")
    bands = _options(
        "select score_band, score_band_label_ja from marts.mart_score_band_conversion order by sort_order"
    )
    return Filters(
        start=start,
        end=end,
        channels=st.sidebar.multiselect(
            label("channel"), list(channels), format_func=channels.get, key="channels"
        ),
        owners=st.sidebar.multiselect(label("owner"), list(owners), format_func=owners.get, key="owners"),
        bands=st.sidebar.multiselect(label("band"), list(bands), format_func=bands.get, key="bands"),
    )
