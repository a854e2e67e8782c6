"""``make dashboard``: one page per audience over the published warehouse, Japanese labels first.

Run with ``streamlit run dashboard/app.py``; it listens on 127.0.0.1 unless told otherwise (it shows
leads and reps by name: README, "Dashboard", says how to put it behind authentication).
"""

import streamlit as st

from dashboard.filters import sidebar_filters
from dashboard.labels import label
from dashboard.views import executive, lead, marketing, sales
from dashboard.warehouse import WarehouseMissingError

st.set_page_config(page_title="Lead warehouse", layout="wide")
navigation = st.navigation(
    [
        st.Page(executive.render, title=label("executive"), url_path="executive", default=True),
        st.Page(marketing.render, title=label("marketing"), url_path="marketing"),
        st.Page(sales.render, title=label("sales"), url_path="sales"),
        st.Page(lead.render, title=label("lead"), url_path="lead"),
    ]
)
st.title(label("title"))
try:
    st.session_state["filters"] = sidebar_filters()
except WarehouseMissingError as missing:
    st.error(str(missing))
    st.stop()
navigation.run()
