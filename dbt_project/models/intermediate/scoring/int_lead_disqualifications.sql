-- One row per lead x scoring moment x disqualifier rule that fired (competitor, student,
-- do-not-contact, disqualified by sales). Any hit overrides the score: the lead cannot be an MQL.
with

attributes as (
    {{ rows_of_moments_to_score(ref('int_lead_attributes')) }}
),

rules as (
    select * from {{ ref('disqualifier_rules') }}
),

rule_hits as (
    select
        attributes.lead_id,
        attributes.scoring_moment,
        rules.rule_id,
        rules.description_en,
        rules.label_ja
    from attributes
    inner join rules
        on attributes.attribute = rules.attribute
        and {{ is_active_on('attributes.as_of_date') }}
        and {{ attribute_rule_matches('attributes', 'rules') }}
)

select * from rule_hits
