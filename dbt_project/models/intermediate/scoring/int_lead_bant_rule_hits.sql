-- One row per assessed lead x BANT dimension whose level matched a rule in force.
with

latest_assessments as (
    select * from {{ ref('int_lead_bant_latest') }}
),

rules as (
    select * from {{ ref('bant_rules') }}
    where {{ is_active_as_of() }}
),

dimension_levels as (
    select lead_id, 'budget' as dimension, budget_level as level from latest_assessments
    union all
    select lead_id, 'authority' as dimension, authority_role as level from latest_assessments
    union all
    select lead_id, 'need' as dimension, need_level as level from latest_assessments
    union all
    select lead_id, 'timeline' as dimension, timeline as level from latest_assessments
),

rule_hits as (
    select
        dimension_levels.lead_id,
        rules.rule_id,
        rules.dimension as category,
        rules.points
    from dimension_levels
    inner join rules
        on dimension_levels.dimension = rules.dimension
        and dimension_levels.level = rules.level
)

select * from rule_hits
