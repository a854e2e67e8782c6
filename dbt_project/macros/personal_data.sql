{#- Patterns of personal data in free text, defined once: the scrubber (staging) and the
    no_personal_data test (marts) both use them. Digits, @, + and separators may be full-width. -#}
{% macro personal_data_patterns() -%}
    {%- set digit = '[0-9０-９]' -%}
    {%- set separator = '[-‐‑–—－ー―−\\s]' -%}
    {%- set open = '[(（]' -%}
    {%- set close = '[)）]' -%}
    {%- set zero = '[0０]' -%}
    {%- set phone_forms = [
        '[+＋]' ~ digit ~ '{1,3}' ~ separator ~ '?' ~ open ~ '?' ~ digit ~ '{1,4}' ~ close ~ '?(?:' ~ separator ~ '?' ~ digit ~ '{2,4}){2,3}',
        open ~ '?' ~ zero ~ digit ~ '{1,4}' ~ close ~ '?' ~ separator ~ digit ~ '{1,4}' ~ separator ~ digit ~ '{3,4}',
        zero ~ digit ~ '{1,4}' ~ open ~ digit ~ '{1,4}' ~ close ~ digit ~ '{3,4}',
        '\\b0[0-9]{9,10}\\b',
        '０[０-９]{9,10}',
    ] -%}
    {{ return({
        'email': '[A-Za-z0-9._%+\\-]+[@＠][A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}',
        'phone': '(?:' ~ phone_forms | join('|') ~ ')',
    }) }}
{%- endmacro %}

{#- Free text with e-mail addresses and phone numbers replaced by placeholders, so notes typed by
    sales ("連絡先 taro@example.co.jp / 090-1234-5678") can reach the marts without the person. -#}
{% macro scrub_personal_data(expression) -%}
    {%- set patterns = personal_data_patterns() -%}
    {{ regexp_replace_all(regexp_replace_all(expression, patterns['email'], var('personal_data_placeholders')['email']), patterns['phone'], var('personal_data_placeholders')['phone']) }}
{%- endmacro %}

{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'lead_warehouse')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ dbt.string_literal(pattern) }}, {{ dbt.string_literal(replacement) }}, 'g')
{%- endmacro %}

{#- Spark replaces every match by default. -#}
{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ escaped_string_literal(pattern) }}, {{ dbt.string_literal(replacement) }})
{%- endmacro %}

{% macro regexp_contains(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'lead_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__regexp_contains(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ dbt.string_literal(pattern) }})
{%- endmacro %}

{% macro default__regexp_contains(expression, pattern) -%}
    {{ expression }} rlike {{ escaped_string_literal(pattern) }}
{%- endmacro %}
