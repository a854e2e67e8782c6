{#- The date scores are computed as of (var scoring_as_of, YYYY-MM-DD; default: today in Japan).
    Everything up to the end of that Japan day counts; nothing after it does, so a past score can
    be reproduced exactly by setting the var. -#}
{% macro scoring_as_of_date() -%}
    {%- set configured = var('scoring_as_of', none) -%}
    {%- if configured -%}
        {%- set parsed = modules.datetime.date.fromisoformat(configured | string) -%}
    {%- else -%}
        {%- set parsed = (run_started_at + modules.datetime.timedelta(hours=var('export_utc_offset_hours'))).date() -%}
    {%- endif -%}
    {{- return(parsed) -}}
{%- endmacro %}

{#- The as-of date as a SQL date literal. -#}
{% macro as_of_date_literal() -%}
    cast('{{ scoring_as_of_date().isoformat() }}' as date)
{%- endmacro %}

{#- The first instant after the as-of date (midnight Japan time) in UTC: events before it count. -#}
{% macro as_of_end_utc_literal() -%}
    {%- set end_of_day = modules.datetime.datetime.combine(scoring_as_of_date(), modules.datetime.time())
        + modules.datetime.timedelta(days=1, hours=-var('export_utc_offset_hours')) -%}
    cast('{{ end_of_day.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}

{#- A rule row is in force on the as-of date: valid_from <= as-of < valid_to (valid_to empty: open). -#}
{% macro is_active_as_of(valid_from='valid_from', valid_to='valid_to') -%}
    ({{ valid_from }} <= {{ as_of_date_literal() }} and ({{ valid_to }} is null or {{ valid_to }} > {{ as_of_date_literal() }}))
{%- endmacro %}

{#- A score value: two decimals, exact in sums (so components add up to the score to the cent). -#}
{% macro score_value(expression) -%}
    cast(round({{ expression }}, 2) as decimal(12, 2))
{%- endmacro %}

{#- A rule row is in force on a per-row date (a scoring moment's as_of_date). -#}
{% macro is_active_on(as_of_date, rules='rules') -%}
    ({{ rules }}.valid_from <= {{ as_of_date }} and ({{ rules }}.valid_to is null or {{ rules }}.valid_to > {{ as_of_date }}))
{%- endmacro %}
