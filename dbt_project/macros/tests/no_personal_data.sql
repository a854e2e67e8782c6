{#- Fails for each value of any text column of the model that looks like an e-mail address or a
    phone number (personal_data_patterns): marts are read by everyone, personal data stays in raw
    and staging. Columns are read from the built table, so a column added later is checked too. -#}
{% test no_personal_data(model) %}
{%- set patterns = personal_data_patterns() -%}
{%- set text_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) if column.is_string() -%}
        {%- do text_columns.append(column.name) -%}
    {%- endfor -%}
{%- endif %}
{%- if text_columns %}
{%- for column in text_columns %}
select
    {{ dbt.string_literal(column) }} as column_name,
    case when {{ regexp_contains(adapter.quote(column), patterns['email']) }} then 'email' else 'phone' end as found,
    {{ adapter.quote(column) }} as value
from {{ model }}
where {{ regexp_contains(adapter.quote(column), patterns['email']) }}
    or {{ regexp_contains(adapter.quote(column), patterns['phone']) }}
{{ "union all" if not loop.last }}
{%- endfor %}
{%- else %}
select null as column_name, null as found, null as value where 1 = 0
{%- endif %}
{% endtest %}
