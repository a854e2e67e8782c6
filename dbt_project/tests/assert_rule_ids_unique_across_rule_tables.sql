-- A rule id names one rule in all rule seeds, so explanations and fitted weights can refer to it.
select rule_id
from {{ ref('int_scoring_rule_labels') }}
group by 1
having count(distinct rule_table) > 1
