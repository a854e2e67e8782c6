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
    select {{ dbt.hash(ordered_listagg(dbt.concat(parts), "';'", ['rule_id', 'valid_from'])) }}
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

{#- CRM staging is incremental: a run reads the raw rows of new loads only and ranks them against the
    versions held for the same keys (an older export loaded later never replaces a newer version).
    Held rows read with other settings are stale: every row carries the fingerprint of the vars that
    decide how the export is read (formats, labels, value mappings, custom columns), and a pre-hook
    deletes the rows whose fingerprint differs, so the run reads every load again for them. -#}
{% macro export_reading_fingerprint(model_vars=[]) -%}
    {%- set values = [] -%}
    {%- for name in ['export_utc_offset_hours', 'export_timestamp_formats', 'export_date_formats', 'true_labels',
                     'personal_data_placeholders'] + model_vars -%}
        {%- do values.append([name, var(name)]) -%}
    {%- endfor -%}
    {{- return(local_md5(tojson(values))) -}}
{%- endmacro %}

{#- The model's config: incremental by `unique_key`, with the pre-hook that drops stale rows (a table
    built before it carried the fingerprint is read again whole). -#}
{% macro crm_staging_config(unique_key, model_vars=[]) -%}
    {{ incremental_config({
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'append_new_columns',
        'pre_hook': "{% if is_incremental() %}delete from {{ this }}{% if holds_columns(this, ['reading_fingerprint']) %} where reading_fingerprint is distinct from '" ~ export_reading_fingerprint(model_vars) ~ "'{% endif %}{% endif %}",
    }) }}
{%- endmacro %}

{#- New loads' rows (`relation`) and, on an incremental run, the versions held for the same keys. A table
    built by an older version without some of the columns was emptied by the pre-hook: nothing is held. -#}
{% macro with_held_versions(relation, unique_key, columns) -%}
    select {% for column in columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ relation }}
    {%- if is_incremental() and holds_columns(this, columns) %}
    union all
    select {% for column in columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ this }}
    where {{ unique_key }} in (select {{ unique_key }} from {{ relation }})
    {%- endif %}
{%- endmacro %}
