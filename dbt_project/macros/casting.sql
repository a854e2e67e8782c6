{#- A cast that yields null instead of failing on a malformed value. dbt.safe_cast is a plain cast
    on DuckDB, so we dispatch our own. -#}
{% macro try_cast_as(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'lead_warehouse')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- A raw event_time column (Japan wall-clock time, formats in var export_timestamp_formats) as UTC. -#}
{% macro export_timestamp_to_utc(column) -%}
    {{ dbt.dateadd('hour', -var('export_utc_offset_hours'), loaded_export_parse(column, parse_export_timestamp(column))) }}
{%- endmacro %}

{#- A raw date or month column, typed. -#}
{% macro loaded_export_date(column) -%}
    {{ loaded_export_parse(column, parse_export_date(column)) }}
{%- endmacro %}

{% macro loaded_export_month(column) -%}
    {{ loaded_export_parse(column, parse_export_month(column)) }}
{%- endmacro %}

{#- The loader parsed event times, dates and months when it checked the row (raw column
    _parsed_<column>, export_loader/raw_exports.py), so staging does not parse them again (with the
    formats in force when the file was loaded); rows loaded before that column existed hold null
    there and are parsed here by `parse`, the same parser. -#}
{% macro loaded_export_parse(column, parse) -%}
    {{ return(adapter.dispatch('loaded_export_parse', 'lead_warehouse')(column, parse)) }}
{%- endmacro %}

{% macro duckdb__loaded_export_parse(column, parse) -%}
    coalesce({{ adapter.quote('_parsed_' ~ column) }}, {{ parse }})
{%- endmacro %}

{#- Spark and others parse the text, as the Spark tests check: the parsed column is DuckDB's saving. -#}
{% macro default__loaded_export_parse(column, parse) -%}
    {{ parse }}
{%- endmacro %}

{% macro parse_export_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_export_timestamp', 'lead_warehouse')(expression, var('export_timestamp_formats'))) }}
{%- endmacro %}

{#- A date: the date formats first, then the timestamp formats, whose date part is kept (a CRM may
    export a close date as "2018-02-26 09:26:00"). The loader accepts exactly these formats. -#}
{% macro parse_export_date(expression) -%}
    cast({{ adapter.dispatch('parse_export_timestamp', 'lead_warehouse')(expression, var('export_date_formats') + var('export_timestamp_formats')) }} as date)
{%- endmacro %}

{#- A month (its first day): the month formats, then the date and timestamp formats. -#}
{% macro parse_export_month(expression) -%}
    {%- set formats = var('export_month_formats') + var('export_date_formats') + var('export_timestamp_formats') %}
    cast({{ dbt.date_trunc('month', adapter.dispatch('parse_export_timestamp', 'lead_warehouse')(expression, formats)) }} as date)
{%- endmacro %}

{% macro duckdb__parse_export_timestamp(expression, formats) -%}
    coalesce(
        {%- for format in formats %}
        try_strptime({{ clean_text(expression) }}, {{ dbt.string_literal(format) }}){{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- Spark and others: to_timestamp with Java patterns translated from the strptime ones. -#}
{% macro default__parse_export_timestamp(expression, formats) -%}
    coalesce(
        {%- for format in formats %}
        to_timestamp({{ clean_text(expression) }}, {{ dbt.string_literal(format | replace('%Y', 'yyyy') | replace('%m', 'MM') | replace('%d', 'dd') | replace('%H', 'HH') | replace('%M', 'mm') | replace('%S', 'ss')) }}){{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- The p-th percentile (0-1) of a numeric expression, interpolated where the engine can. -#}
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'lead_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro duckdb__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Spark's exact percentile, interpolated like DuckDB's quantile_cont. -#}
{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    percentile_approx({{ expression }}, {{ fraction }})
{%- endmacro %}
