-- One row per decision month x score band: how the scores leads had at their decision moment are
-- distributed, month by month, and how far each month's band mix moved from the months before it
-- (population stability index, PSI, over the previous var drift_baseline_months months). A PSI
-- over var drift_psi_alert means the score population shifted: check the data before the rules.
with

outcomes as (
    select * from {{ ref('fct_lead_outcomes') }}
),

bands as (
    select * from {{ ref('score_bands') }}
    where band_type = 'total'
),

months as (
    select
        decision_month,
        count(*) as leads,
        cast(avg(total_score) as double) as average_score,
        {{ percentile('total_score', 0.1) }} as p10_score,
        {{ percentile('total_score', 0.5) }} as median_score,
        {{ percentile('total_score', 0.9) }} as p90_score,
        cast(avg(demographic_score) as double) as average_demographic_score,
        cast(avg(behavior_score) as double) as average_behavior_score,
        cast(avg(case when is_score_qualified then 1 else 0 end) as double) as score_qualified_share
    from outcomes
    group by 1
),

band_counts as (
    select months.decision_month, bands.band_code, bands.sort_order, count(outcomes.lead_id) as band_leads
    from months
    cross join bands
    left join outcomes
        on months.decision_month = outcomes.decision_month and bands.band_code = outcomes.score_band
    group by 1, 2, 3
),

{{ drift_shares('band_counts', 'decision_month', 'band_code', 'band_leads') }}

final as (
    select
        months.decision_month,
        band_shares.band_code as score_band,
        band_shares.sort_order,
        band_shares.band_leads,
        band_shares.share,
        band_shares.baseline_share,
        months.leads,
        months.average_score,
        months.p10_score,
        months.median_score,
        months.p90_score,
        months.average_demographic_score,
        months.average_behavior_score,
        months.score_qualified_share,
        psi.psi,
        psi.psi > {{ var('drift_psi_alert') }} as is_drifting
    from band_shares
    inner join months
        on band_shares.decision_month = months.decision_month
    left join psi
        on band_shares.decision_month = psi.decision_month
)

select * from final
