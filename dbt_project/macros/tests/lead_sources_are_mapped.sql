{#- Warns with the lead sources (and their lead counts) whose channel is unmapped: add them to seed
    lead_source_channels so the funnel, KPI and score marts attribute them. -#}
{% test lead_sources_are_mapped(model, column_name) %}
select
    lead_source,
    count(*) as leads
from {{ model }}
where {{ column_name }} = {{ unmapped_channel() }}
    and lead_source is not null
group by 1
{% endtest %}
