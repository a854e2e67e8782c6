-- One row per handoff month and breakdown: the month as a whole (breakdown = 'total'), per rep
-- ('by_owner') and per score band at handoff ('by_score_band'). Counts re-aggregate; medians and
-- percentiles are computed per row and do not.
with

responses as (
    select * from {{ ref('fct_sla_lead_response') }}
),

targets as (
    select * from {{ ref('sla_targets') }}
    where {{ is_active_as_of() }}
),

grouped as (
    select
        handoff_month,
        case
            when grouping(owner_user_id) = 0 then 'by_owner'
            when grouping(score_band_at_handoff) = 0 then 'by_score_band'
            else 'total'
        end as breakdown,
        owner_user_id,
        score_band_at_handoff,
        count(*) as mqls_delivered,
        count(case when score_at_handoff >= (
            select value from targets where metric = 'min_score_at_handoff'
        ) then 1 end) as mqls_at_or_over_score_target,
        count(case when is_information_complete then 1 end) as mqls_with_complete_information,
        count(case when has_behavior_history then 1 end) as mqls_with_behavior_history,
        count(case when is_contacted then 1 end) as contacted,
        count(case when is_within_sla then 1 end) as contacted_within_sla,
        count(case when is_overdue then 1 end) as overdue,
        {{ percentile('response_hours_business', 0.5) }} as median_response_hours_business,
        {{ percentile('response_hours_business', 0.9) }} as p90_response_hours_business,
        {{ percentile('response_hours_calendar', 0.5) }} as median_response_hours_calendar,
        {{ percentile('response_hours_calendar', 0.9) }} as p90_response_hours_calendar
    from responses
    group by grouping sets ((handoff_month), (handoff_month, owner_user_id), (handoff_month, score_band_at_handoff))
),

final as (
    select
        grouped.*,
        (select value from targets where metric = 'mqls_per_month') as mql_volume_target,
        (select value from targets where metric = 'min_score_at_handoff') as mql_score_target,
        (select value from targets where metric = 'first_contact_hours') as first_contact_target_hours,
        1.0 * mqls_at_or_over_score_target / mqls_delivered as share_at_or_over_score_target,
        1.0 * mqls_with_complete_information / mqls_delivered as share_with_complete_information,
        1.0 * contacted / mqls_delivered as response_rate,
        1.0 * contacted_within_sla / mqls_delivered as share_within_sla
    from grouped
)

select * from final
