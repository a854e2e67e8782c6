-- One row per rule id in force as of the scoring date (and per score adjustment), with its words:
-- what the explanation, the top reasons and the alerts show.
with

demographic_rules as (
    select * from {{ ref('demographic_rules') }}
    where {{ is_active_as_of() }}
),

behavior_rules as (
    select * from {{ ref('behavior_rules') }}
    where {{ is_active_as_of() }}
),

bant_rules as (
    select * from {{ ref('bant_rules') }}
    where {{ is_active_as_of() }}
),

disqualifier_rules as (
    select * from {{ ref('disqualifier_rules') }}
    where {{ is_active_as_of() }}
),

adjustments as (
    select * from {{ ref('score_adjustments') }}
),

labels as (
    select rule_id, 'demographic_rules' as rule_table, description_en, label_ja from demographic_rules
    union all
    select rule_id, 'behavior_rules' as rule_table, description_en, label_ja from behavior_rules
    union all
    select rule_id, 'bant_rules' as rule_table, description_en, label_ja from bant_rules
    union all
    select rule_id, 'disqualifier_rules' as rule_table, description_en, label_ja from disqualifier_rules
    union all
    select adjustment_id as rule_id, 'score_adjustments' as rule_table, description_en, label_ja from adjustments
)

select * from labels
