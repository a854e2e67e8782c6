"""The warehouse on Apache Spark: a Spark session with our UDFs, the raw tables copied in from the
loader's DuckDB file, and the same dbt project run on it (target `spark`, dbt-spark's session method,
in this process so that dbt's queries can call the UDFs)."""
