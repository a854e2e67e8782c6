-- One row per assessed lead x scoring moment x BANT dimension whose level matched a rule in force.
with

latest_assessments as (
    select * from {{ ref('int_lead_bant_latest') }}
),

rules as (
    select * from {{ ref('bant_rules') }}
),

{%- set dimensions = {'budget': 'budget_level', 'authority': 'authority_role', 'need': 'need_level', 'timeline': 'timeline'} %}

dimension_levels as (
    {%- for dimension, column in dimensions.items() %}
    select lead_id, scoring_moment, as_of_date, '{{ dimension }}' as dimension, {{ column }} as level
    from latest_assessments
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

rule_hits as (
    select
        dimension_levels.lead_id,
        dimension_levels.scoring_moment,
        rules.rule_id,
        rules.dimension as category,
        rules.points
    from dimension_levels
    inner join rules
        on dimension_levels.dimension = rules.dimension
        and dimension_levels.level = rules.level
        and {{ is_active_on('dimension_levels.as_of_date') }}
)

select * from rule_hits
