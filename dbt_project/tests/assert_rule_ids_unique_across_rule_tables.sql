-- A rule id names one rule across all rule seeds, so explanations and fitted weights can refer to it.
with

rule_ids as (
    select distinct rule_id, 'demographic_rules' as rule_table from {{ ref('demographic_rules') }}
    union all
    select distinct rule_id, 'behavior_rules' as rule_table from {{ ref('behavior_rules') }}
    union all
    select distinct rule_id, 'bant_rules' as rule_table from {{ ref('bant_rules') }}
    union all
    select distinct rule_id, 'disqualifier_rules' as rule_table from {{ ref('disqualifier_rules') }}
    union all
    select adjustment_id as rule_id, 'score_adjustments' as rule_table from {{ ref('score_adjustments') }}
)

select rule_id
from rule_ids
group by 1
having count(*) > 1
