-- For every lead and scoring moment, the score lines add up exactly to the scores (the explanation
-- is complete). The marts are filtered copies of these two models. The score lines are kept for the
-- moments the run scored (int_lead_moments_to_score), so those are compared.
with

components as (
    select * from {{ ref('int_lead_score_components') }}
),

scores as (
    {{ rows_of_moments_to_score(ref('int_lead_scores')) }}
),

sums as (
    select
        lead_id,
        scoring_moment,
        coalesce(sum(case when score_component = 'demographic' then component_score_points end), 0) as demographic_score,
        coalesce(sum(case when score_component = 'behavior' then component_score_points end), 0) as behavior_score,
        sum(case when score_component = 'bant' then component_score_points end) as bant_score,
        coalesce(sum(total_score_points), 0) as total_score
    from components
    group by 1, 2
)

select scores.lead_id, scores.scoring_moment
from scores
left join sums
    on scores.lead_id = sums.lead_id
    and scores.scoring_moment = sums.scoring_moment
where scores.demographic_score <> coalesce(sums.demographic_score, 0)
    or scores.behavior_score <> coalesce(sums.behavior_score, 0)
    or coalesce(scores.bant_score, -1) <> coalesce(sums.bant_score, -1)
    or scores.total_score <> coalesce(sums.total_score, 0)
