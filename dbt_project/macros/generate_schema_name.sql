{#- Models land in the schema their folder names (staging, intermediate, marts), not in
    "<target schema>_<name>": BI users query marts.fct_x, not main_marts.fct_x. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
