{#- The Japan calendar date of a UTC timestamp (business reporting is by Japan date). -#}
{% macro japan_date(utc_timestamp) -%}
    cast({{ dbt.dateadd('hour', var('export_utc_offset_hours'), utc_timestamp) }} as date)
{%- endmacro %}

{#- Hours from `start` to `end` (UTC) on an SLA clock (seed sla_targets, column clock): calendar (every
    hour), paused (24 hours a day on Japan working days: weekends and public holidays pause it) or
    business (the working hours of working days, vars sla_business_day_start_hour / _end_hour). -#}
{% macro sla_hours(clock, start, end) -%}
    {%- if clock == 'calendar' -%}
        {{ elapsed_hours(start, end) }}
    {%- else -%}
        {%- set hours = (0, 24) if clock == 'paused' else (var('sla_business_day_start_hour'), var('sla_business_day_end_hour')) -%}
        business_hours_between({{ start }}, {{ end }}, {{ var('export_utc_offset_hours') }}, {{ hours[0] }}, {{ hours[1] }})
    {%- endif -%}
{%- endmacro %}

{#- Hours elapsed from `start` to `end`, to the second, as a double. (dbt.datediff by 'hour' counts the
    hour boundaries crossed on DuckDB but whole elapsed hours on Spark, and Spark divides by a literal
    such as 3600.0 in decimals of limited scale; seconds and doubles are the same on both.) -#}
{% macro elapsed_hours(start, end) -%}
    cast({{ dbt.datediff(start, end, 'second') }} as double) / 3600
{%- endmacro %}
