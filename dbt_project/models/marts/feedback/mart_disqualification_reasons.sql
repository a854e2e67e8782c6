-- One row per month of disqualification x reason x score band at the first MQL handoff: why sales
-- rejects leads marketing hands over, and whether the score saw it coming.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
    where is_disqualified
),

final as (
    select
        cast({{ dbt.date_trunc('month', japan_date('disqualified_at')) }} as date) as disqualified_month,
        coalesce(disqualification_reason, '(未入力)') as disqualification_reason,
        coalesce(score_band_at_first_mql, 'not_mql') as score_band_at_first_mql,
        count(*) as disqualified_leads
    from funnel
    group by 1, 2, 3
)

select * from final
