{#- The config of a model kept incrementally, per engine. DuckDB deletes and inserts by key (or appends
    after the pre-hook's delete). Spark's Parquet tables cannot delete rows: there the model is rebuilt
    whole on every run (the same rows, in proportion to the history rather than to the new data; a
    Delta or Iceberg catalog would allow merge), except a model whose runs each replace whole
    partitions, named by `spark_partition_by`, which Spark overwrites (insert_overwrite). -#}
{% macro incremental_config(settings) -%}
    {{ return(adapter.dispatch('incremental_config', 'lead_warehouse')(settings)) }}
{%- endmacro %}

{% macro default__incremental_config(settings) -%}
    {%- set duckdb_settings = {} -%}
    {%- for name, value in settings.items() if name != 'spark_partition_by' -%}
        {%- do duckdb_settings.update({name: value}) -%}
    {%- endfor -%}
    {{ config(materialized='incremental', **duckdb_settings) }}
{%- endmacro %}

{% macro spark__incremental_config(settings) -%}
    {%- if settings.get('spark_partition_by') -%}
        {{ config(
            materialized='incremental',
            incremental_strategy='insert_overwrite',
            partition_by=settings['spark_partition_by'],
            file_format='parquet',
            full_refresh=settings.get('full_refresh'),
            on_schema_change=settings.get('on_schema_change', 'ignore'),
        ) }}
    {%- else -%}
        {{ config(materialized='table', file_format='parquet') }}
    {%- endif -%}
{%- endmacro %}

{#- Whether a model configured by incremental_config keeps its earlier rows between runs: what a model
    may reuse from the previous run (held_scores_relation) depends on it. Spark rebuilds them whole. -#}
{% macro keeps_rows_between_runs() -%}
    {{ return(adapter.dispatch('keeps_rows_between_runs', 'lead_warehouse')()) }}
{%- endmacro %}

{% macro default__keeps_rows_between_runs() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__keeps_rows_between_runs() -%}
    {{ return(false) }}
{%- endmacro %}
