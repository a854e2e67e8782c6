-- One row per lead x scoring moment x demographic rule that fired (rules in force on the moment's date).
with

attributes as (
    {{ rows_of_moments_to_score(ref('int_lead_attributes')) }}
),

rules as (
    select * from {{ ref('demographic_rules') }}
),

rule_hits as (
    select
        attributes.lead_id,
        attributes.scoring_moment,
        rules.rule_id,
        rules.category,
        rules.points
    from attributes
    inner join rules
        on attributes.attribute = rules.attribute
        and {{ is_active_on('attributes.as_of_date') }}
        and {{ attribute_rule_matches('attributes', 'rules') }}
)

select * from rule_hits
