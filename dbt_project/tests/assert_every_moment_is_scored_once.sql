-- Past-moment scores are kept from earlier runs (int_lead_moments_to_score): int_lead_scores must still
-- hold exactly one row for every moment that exists, at that moment's date, and none for a moment that
-- no longer does. A row returned is a moment scored for the wrong date, missed, or left behind.
with

moments as (
    select * from {{ ref('int_lead_scoring_moments') }}
),

scores as (
    select * from {{ ref('int_lead_scores') }}
),

final as (
    select
        coalesce(moments.lead_id, scores.lead_id) as lead_id,
        coalesce(moments.scoring_moment, scores.scoring_moment) as scoring_moment,
        moments.as_of_date as moment_date,
        scores.as_of_date as scored_date
    from moments
    full outer join scores
        on moments.lead_id = scores.lead_id
        and moments.scoring_moment = scores.scoring_moment
    where moments.lead_id is null
        or scores.lead_id is null
        or moments.as_of_date <> scores.as_of_date
)

select * from final
