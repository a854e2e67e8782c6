{#- Fails for each value that is in raw but NULL in staging: a value the loader let through must
    reach staging typed, or it should have been quarantined with a reason (never silently lost).

    Each staged row is joined to the raw record it came from (load time, file line, and the `keys`
    where a stacked export makes several records of one line); older versions that staging replaced
    have no staged row and are not compared. `columns` maps raw column -> staged column; the custom
    columns of `custom_attributes_var` are added as they are. Raw values that are empty or in var
    unknown_value_labels ("非公開", "不明", ...) are allowed to be NULL. -#}
{% test raw_values_reach_staging(model, source_table, columns, keys={}, custom_attributes_var=none) %}
{%- set mapping = dict(columns) -%}
{%- if custom_attributes_var -%}
    {%- for attribute in var(custom_attributes_var) -%}
        {%- do mapping.update({attribute: attribute}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set unknown_labels -%}
    ({%- for label in var('unknown_value_labels') %}{{ dbt.string_literal(label) }}{{ ", " if not loop.last }}{% endfor -%})
{%- endset %}

with

raw_records as (
    select * from {{ source(source_table[0], source_table[1]) }}
),

staged as (
    select * from {{ model }}
),

-- Only records with a lost value leave the join (event tables are large): the conditions are
-- checked inside it, and the few records found are then split into one row per lost value.
records_with_a_lost_value as {{ materialized_cte() }} (
    select
        raw_records._source_file as source_file,
        raw_records._line_number as line_number,
        {%- for raw_column, staged_column in mapping.items() %}
        raw_records.{{ adapter.quote(raw_column) }} as raw_{{ loop.index }},
        {{ raw_value_is_lost('raw_records.' ~ adapter.quote(raw_column), 'staged.' ~ adapter.quote(staged_column), unknown_labels) }} as is_lost_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from raw_records
    inner join staged
        on raw_records._loaded_at = staged.loaded_at
        and raw_records._line_number = staged.source_line_number
        {%- for raw_key, staged_key in keys.items() %}
        and {{ clean_text('raw_records.' ~ adapter.quote(raw_key)) }} = staged.{{ adapter.quote(staged_key) }}
        {%- endfor %}
    where
        {%- for raw_column, staged_column in mapping.items() %}
        {{ raw_value_is_lost('raw_records.' ~ adapter.quote(raw_column), 'staged.' ~ adapter.quote(staged_column), unknown_labels) }}{{ " or" if not loop.last }}
        {%- endfor %}
),

values_lost as (
    {%- for raw_column, staged_column in mapping.items() %}
    select
        source_file,
        line_number,
        {{ dbt.string_literal(raw_column) }} as raw_column,
        {{ dbt.string_literal(staged_column) }} as staged_column,
        raw_{{ loop.index }} as raw_value
    from records_with_a_lost_value
    where is_lost_{{ loop.index }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from values_lost
{% endtest %}

{#- A raw value that is filled and known whose staged value is NULL. -#}
{% macro raw_value_is_lost(raw_value, staged_value, unknown_labels) -%}
    ({{ staged_value }} is null and {{ clean_text(raw_value) }} is not null and trim({{ raw_value }}) not in {{ unknown_labels }})
{%- endmacro %}
