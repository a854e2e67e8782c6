{#- Fails for each combination of `columns` that occurs more than once (dbt-utils has one; Hub is
    out of reach here, so we keep our own). -#}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
