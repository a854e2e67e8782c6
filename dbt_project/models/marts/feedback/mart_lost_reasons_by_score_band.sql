-- One row per lost reason x score band at the first MQL handoff: do the deals a high score promised
-- get lost for reasons the initial evaluation could have seen (price, competitor, timing)?
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
    where is_lost
),

final as (
    select
        coalesce(lost_reason, '(未入力)') as lost_reason,
        coalesce(score_band_at_first_mql, 'not_mql') as score_band_at_first_mql,
        count(*) as lost_leads,
        cast(avg(score_at_first_mql) as double) as average_score_at_first_mql,
        avg(days_created_to_close) as average_days_to_close
    from funnel
    group by 1, 2
)

select * from final
