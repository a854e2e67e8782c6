"""Python functions that dbt models call inside DuckDB.

The pure functions live in topic modules (``japanese_text``); ``registry`` lists what is exposed to SQL
and ``dbt_plugin`` registers that list on every connection dbt-duckdb opens.
"""
