{#- The channel of a lead source the seed lead_source_channels does not list, or of no lead source:
    one label in every mart, so BI groups them in one row. -#}
{% macro unmapped_channel() -%}
    'unmapped'
{%- endmacro %}
