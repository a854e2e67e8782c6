-- One row per lead x scoring moment that evaluation works with (decision, as_of): the facts the
-- what-if scoring needs besides rule evidence (which weight set applies, whether a disqualifier
-- zeroes the total) and the score the current rules gave, which the what-if scoring must reproduce.
with

scores as (
    select * from {{ ref('int_lead_scores') }}
),

final as (
    select
        lead_id,
        scoring_moment,
        as_of_date,
        bant_status = 'assessed' as is_bant_assessed,
        is_disqualified,
        cast({{ var('behavior_full_score_points') }} as double) as behavior_full_points,
        total_score,
        is_mql
    from scores
    where scoring_moment in ('decision', 'as_of')
)

select * from final
