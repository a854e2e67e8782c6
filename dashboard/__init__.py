"""The BI dashboard: Streamlit pages per audience over the published warehouse (``make dashboard``)."""
