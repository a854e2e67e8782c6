"""Assets: raw export loads (``raw_exports``) and the dbt models (``dbt_models``)."""
