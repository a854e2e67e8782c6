{#- The channel of a lead source the seed lead_source_channels does not list, or of no lead source:
    one label in every mart, so BI groups them in one row. -#}
{% macro unmapped_channel() -%}
    'unmapped'
{%- endmacro %}

{#- The channel of a row joined to the seed lead_source_channels (as `channels`, on its lead source):
    every mart maps a lead source to its channel with this, leads and spend alike. -#}
{% macro mapped_channel(channels) -%}
    coalesce({{ channels }}.channel_code, {{ unmapped_channel() }})
{%- endmacro %}
