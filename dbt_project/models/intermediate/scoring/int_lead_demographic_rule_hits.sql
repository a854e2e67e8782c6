-- One row per lead x demographic rule that fired as of the scoring date.
with

attributes as (
    select * from {{ ref('int_lead_attributes') }}
),

rules as (
    select * from {{ ref('demographic_rules') }}
    where {{ is_active_as_of() }}
),

rule_hits as (
    select
        attributes.lead_id,
        rules.rule_id,
        rules.category,
        rules.points
    from attributes
    inner join rules
        on attributes.attribute = rules.attribute
        and {{ attribute_rule_matches('attributes', 'rules') }}
)

select * from rule_hits
