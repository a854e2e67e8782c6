-- One row per rep (breakdown 'by_owner') and per channel ('by_channel'): how the score at the decision
-- moment compares with what happened, so the weekly meeting sees whose leads and which sources the
-- score over- or under-rates. Only mature leads (decided var conversion_maturity_days ago or more).
with

scores as (
    select * from {{ ref('int_lead_scores') }}
    where scoring_moment = 'decision'
        and {{ dbt.datediff('as_of_date', as_of_date_literal(), 'day') }} >= {{ var('conversion_maturity_days') }}
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

leads_scored as (
    select
        funnel.owner_user_id,
        funnel.owner_name,
        funnel.channel_code,
        scores.total_score,
        scores.is_mql as was_score_qualified,
        funnel.is_won
    from scores
    inner join funnel
        on scores.lead_id = funnel.lead_id
),

final as (
    select
        case when grouping(owner_user_id) = 0 then 'by_owner' else 'by_channel' end as breakdown,
        owner_user_id,
        max(owner_name) as owner_name,
        channel_code,
        count(*) as leads,
        count(case when is_won then 1 end) as won,
        cast(count(case when is_won then 1 end) as double) / count(*) as conversion_rate,
        cast(avg(total_score) as double) as average_score,
        cast(avg(case when is_won then total_score end) as double) as average_score_of_won,
        cast(avg(case when not is_won then total_score end) as double) as average_score_of_not_won,
        count(case when was_score_qualified then 1 end) as leads_over_mql_threshold,
        count(case when was_score_qualified and is_won then 1 end) as won_over_mql_threshold,
        count(case when not was_score_qualified and is_won then 1 end) as won_under_mql_threshold
    from leads_scored
    group by grouping sets ((owner_user_id), (channel_code))
)

select * from final
