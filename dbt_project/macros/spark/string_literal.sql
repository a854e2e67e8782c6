{#- Spark SQL reads backslash escapes in string literals ('\b' is a backspace, '\s' an s, and \' a
    quote), so backslashes are doubled and quotes escaped: the text reaches Spark as written (a
    regex pattern, a seed value). -#}
{% macro escaped_string_literal(text) -%}
    '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}
