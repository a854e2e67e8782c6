{#- Event models are incremental: a run reads only rows loaded after the newest load the model already
    holds (its watermark), so a daily refresh costs in proportion to the new exports, not the history.
    Rows without a load time (written into raw by hand, not by the loader) are read on every run.
    `dbt build --full-refresh` rebuilds them from every loaded row and gives the same result.
    Models call it inside {% if is_incremental() %} themselves, so unit tests can set that macro. -#}
{% macro loaded_since_watermark(loaded_at, watermark='loaded_at') -%}
    ({{ loaded_at }} is null or {{ loaded_at }} > (
        select coalesce(max({{ watermark }}), cast('1900-01-01' as timestamp)) from {{ this }}
    ))
{%- endmacro %}

{#- One text that changes whenever a behaviour rule's matching changes (not its points or validity,
    which scoring applies later): rule hits counted under other matching are stale. -#}
{% macro behavior_rules_fingerprint() -%}
    {%- set fields = ['rule_id', 'valid_from', 'event_source', 'event_type', 'path_pattern', 'detail_value',
                      'min_dwell_seconds'] -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- do parts.append("coalesce(cast(" ~ field ~ " as " ~ api.Column.translate_type('string') ~ "), '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    select {{ dbt.hash(dbt.listagg(dbt.concat(parts), "';'", "order by rule_id, valid_from")) }}
    from {{ ref('behavior_rules') }}
{%- endmacro %}

{#- Does the incremental model's table already hold every one of `columns`? (Run time only: a model
    calls it when is_incremental(), so the table exists. In a unit test `this` is a fixture, given with
    the columns the test needs.) -#}
{% macro holds_columns(relation, columns) -%}
    {%- if not execute or relation is string -%}{{ return(true) }}{%- endif -%}
    {%- set held = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- for column in columns -%}
        {%- if column | lower not in held -%}{{ return(false) }}{%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}
