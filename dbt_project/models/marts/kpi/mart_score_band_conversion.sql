-- The article's table: per score band, how many leads and how many were won. Leads are banded by
-- their score at the decision moment (first MQL handoff, or var decision_days_after_creation days
-- after creation), so the band is what the score said before the outcome was known. Leads decided
-- less than var conversion_maturity_days ago have had little time to convert and are counted apart.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
    where decision_date is not null
),

bands as (
    select * from {{ ref('score_bands') }}
    where band_type = 'total'
),

leads_banded as (
    select
        score_band_at_decision as score_band,
        score_at_decision as total_score,
        is_won,
        {{ dbt.datediff('decision_date', as_of_date_literal(), 'day') }} >= {{ var('conversion_maturity_days') }}
            as is_mature
    from funnel
),

per_band as (
    select
        score_band,
        count(case when is_mature then 1 end) as leads,
        count(case when is_mature and is_won then 1 end) as won,
        count(case when not is_mature then 1 end) as leads_still_maturing,
        count(case when not is_mature and is_won then 1 end) as won_still_maturing,
        cast(avg(case when is_mature then total_score end) as double) as average_score
    from leads_banded
    group by 1
),

final as (
    select
        bands.band_code as score_band,
        bands.sort_order,
        bands.label_ja as score_band_label_ja,
        coalesce(per_band.leads, 0) as leads,
        coalesce(per_band.won, 0) as won,
        case when per_band.leads > 0 then cast(per_band.won as double) / per_band.leads end as conversion_rate,
        coalesce(per_band.leads_still_maturing, 0) as leads_still_maturing,
        coalesce(per_band.won_still_maturing, 0) as won_still_maturing,
        per_band.average_score,
        bands.recommended_action_en,
        bands.recommended_action_ja
    from bands
    left join per_band
        on bands.band_code = per_band.score_band
),

flagged as (
    select
        final.*,
        -- A higher band (lower sort_order) converting worse than a lower one means the rules need review.
        exists (
            select 1 from final as lower_band
            where lower_band.sort_order > final.sort_order
                and lower_band.conversion_rate > final.conversion_rate
        ) as converts_worse_than_a_lower_band
    from final
)

select * from flagged
