-- Every lead's score lines add up exactly to its scores (the explanation is complete).
with

components as (
    select * from {{ ref('fct_lead_score_components') }}
),

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

sums as (
    select
        lead_id,
        coalesce(sum(case when score_component = 'demographic' then component_score_points end), 0) as demographic_score,
        coalesce(sum(case when score_component = 'behavior' then component_score_points end), 0) as behavior_score,
        sum(case when score_component = 'bant' then component_score_points end) as bant_score,
        coalesce(sum(total_score_points), 0) as total_score
    from components
    group by 1
)

select scores.lead_id
from scores
left join sums
    on scores.lead_id = sums.lead_id
where scores.demographic_score <> coalesce(sums.demographic_score, 0)
    or scores.behavior_score <> coalesce(sums.behavior_score, 0)
    or coalesce(scores.bant_score, -1) <> coalesce(sums.bant_score, -1)
    or scores.total_score <> coalesce(sums.total_score, 0)
