{#- The Japan calendar date of a UTC timestamp (business reporting is by Japan date). -#}
{% macro japan_date(utc_timestamp) -%}
    cast({{ dbt.dateadd('hour', var('export_utc_offset_hours'), utc_timestamp) }} as date)
{%- endmacro %}
