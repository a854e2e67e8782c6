{#- A sum of doubles that does not depend on the order in which a parallel aggregate adds its rows:
    each term is rounded to 1e-10 and the terms are added exactly as decimals. Scores are then the same
    to the last bit on every run, incremental or full (lead_evaluation/rescoring.sql sums the same way).
    With `over` (a window's partition), the sum over the window. -#}
{% macro exact_sum(expression, over=none) -%}
    cast(sum(cast({{ expression }} as decimal(38, 10))){{ ' over (' ~ over ~ ')' if over }} as double)
{%- endmacro %}
