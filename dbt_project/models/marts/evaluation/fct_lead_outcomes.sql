-- One row per lead: its score at the decision moment (first MQL handoff, or var
-- decision_days_after_creation days after creation) next to what happened afterwards. Only what was
-- known at the decision moment is scored, so this is the table that says how well scores predict.
-- Leads decided less than var conversion_maturity_days ago have had little time to convert:
-- is_outcome_mature tells them apart, and evaluation uses mature leads only.
with

decision_scores as (
    select * from {{ ref('int_lead_scores') }}
    where scoring_moment = 'decision'
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

final as (
    select
        funnel.lead_id,
        funnel.created_date,
        funnel.cohort_month,
        funnel.channel_code,
        funnel.owner_user_id,
        decision_scores.as_of_date as decision_date,
        case when funnel.first_mql_at is not null and {{ japan_date('funnel.first_mql_at') }} = decision_scores.as_of_date
            then 'first_mql' else 'days_after_creation' end as decision_basis,
        cast({{ dbt.date_trunc('month', 'decision_scores.as_of_date') }} as date) as decision_month,
        decision_scores.demographic_score,
        decision_scores.behavior_score,
        decision_scores.bant_score,
        decision_scores.total_score,
        decision_scores.score_band,
        decision_scores.is_mql as is_score_qualified,
        decision_scores.is_disqualified,
        {{ dbt.datediff('decision_scores.as_of_date', as_of_date_literal(), 'day') }} >= {{ var('conversion_maturity_days') }}
            as is_outcome_mature,
        funnel.has_reached_sql,
        funnel.is_won,
        funnel.won_date,
        funnel.won_amount_jpy
    from decision_scores
    inner join funnel
        on decision_scores.lead_id = funnel.lead_id
)

select * from final
