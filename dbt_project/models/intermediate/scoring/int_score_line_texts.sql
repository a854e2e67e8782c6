-- One row per rule or adjustment that can make a score line x version of it: the category and the
-- English and Japanese texts an explanation shows for the line. int_lead_score_components looks them
-- up after sharing out the cents, so that its windows sort numbers and keys only (with the texts
-- carried through them, the model took a third longer at 1M leads). A line's text is that of the
-- version in force on its moment's date, as its points are.
with

demographic_rules as (
    select * from {{ ref('demographic_rules') }}
),

behavior_rules as (
    select * from {{ ref('behavior_rules') }}
),

bant_rules as (
    select * from {{ ref('bant_rules') }}
),

disqualifier_rules as (
    select * from {{ ref('disqualifier_rules') }}
),

adjustments as (
    select * from {{ ref('score_adjustments') }}
),

final as (
    select 'demographic' as score_component, rule_id, category, description_en, label_ja, valid_from, valid_to
    from demographic_rules
    union all
    select 'behavior' as score_component, rule_id, category, description_en, label_ja, valid_from, valid_to
    from behavior_rules
    union all
    select 'bant' as score_component, rule_id, dimension as category, description_en, label_ja, valid_from, valid_to
    from bant_rules
    union all
    -- A disqualified lead's total is zeroed by a line named after the first disqualifier that fired.
    select 'total' as score_component, rule_id, 'adjustment' as category, description_en, label_ja, valid_from,
        valid_to
    from disqualifier_rules
    union all
    select
        score_component,
        adjustment_id as rule_id,
        'adjustment' as category,
        description_en,
        label_ja,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to
    from adjustments
)

select * from final
