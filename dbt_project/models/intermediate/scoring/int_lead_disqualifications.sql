-- One row per lead x disqualifier rule that fired as of the scoring date (competitor, student,
-- do-not-contact, disqualified by sales). Any hit overrides the score: the lead cannot be an MQL.
with

attributes as (
    select * from {{ ref('int_lead_attributes') }}
),

rules as (
    select * from {{ ref('disqualifier_rules') }}
    where {{ is_active_as_of() }}
),

rule_hits as (
    select
        attributes.lead_id,
        rules.rule_id,
        rules.label_ja
    from attributes
    inner join rules
        on attributes.attribute = rules.attribute
        and {{ attribute_rule_matches('attributes', 'rules') }}
)

select * from rule_hits
