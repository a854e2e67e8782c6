{#- Does the attribute row `a` satisfy the rule row `r`? Operators: equals (case-insensitive),
    in ("a|b|c", case-insensitive), between (value_min <= number < value_max; either end open). -#}
{% macro attribute_rule_matches(a='attributes', r='rules') -%}
    (
        ({{ r }}.operator = 'equals' and lower({{ a }}.value_text) = lower({{ r }}.value_text))
        or ({{ r }}.operator = 'in' and {{ in_pipe_list('lower(' ~ a ~ '.value_text)', 'lower(' ~ r ~ '.value_text)') }})
        or ({{ r }}.operator = 'between'
            and {{ a }}.value_number is not null
            and ({{ r }}.value_min is null or {{ a }}.value_number >= {{ r }}.value_min)
            and ({{ r }}.value_max is null or {{ a }}.value_number < {{ r }}.value_max))
    )
{%- endmacro %}

{#- Is `value` one of the items of `pipe_list` ("a|b|c")? -#}
{% macro in_pipe_list(value, pipe_list) -%}
    position('|' || {{ value }} || '|' in '|' || {{ pipe_list }} || '|') > 0
{%- endmacro %}
