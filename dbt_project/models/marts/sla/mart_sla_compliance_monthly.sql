-- One row per handoff month and breakdown: the month as a whole (breakdown = 'total'), per rep
-- ('by_owner') and per score band at handoff ('by_score_band'). Counts re-aggregate; medians and
-- percentiles are computed per row and do not. A handoff still inside its window (pending) is neither
-- met nor missed: the share within the SLA counts decided handoffs only.
with

responses as (
    select * from {{ ref('fct_sla_lead_response') }}
),

targets as (
    select * from {{ ref('sla_targets') }}
    where {{ is_active_as_of() }}
),

score_target as (
    select value from targets where metric = 'min_score_at_handoff'
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
        count(*) as handoffs,
        count(case when score_at_handoff >= (select value from score_target) then 1 end)
            as handoffs_at_or_over_score_target,
        count(case when score_at_handoff < (select value from score_target) then 1 end)
            as handoffs_below_score_target,
        count(case when is_information_complete then 1 end) as handoffs_with_complete_information,
        count(case when has_behavior_history then 1 end) as handoffs_with_behavior_history,
        count(case when is_contacted then 1 end) as contacted,
        count(case when sla_status = 'met' then 1 end) as sla_met,
        count(case when sla_status = 'missed' then 1 end) as sla_missed,
        count(case when sla_status = 'pending' then 1 end) as sla_pending,
        count(case when is_overdue then 1 end) as overdue,
        count(case when alert_delivery_status = 'sent' then 1 end) as handoffs_alert_sent,
        count(case when alert_delivery_status in ('queued', 'failed', 'given_up') then 1 end)
            as handoffs_alert_undelivered,
        {{ percentile('response_hours', 0.5) }} as median_response_hours,
        {{ percentile('response_hours', 0.9) }} as p90_response_hours,
        {{ percentile('response_hours_calendar', 0.5) }} as median_response_hours_calendar,
        {{ percentile('response_hours_calendar', 0.9) }} as p90_response_hours_calendar
    from responses
    group by grouping sets ((handoff_month), (handoff_month, owner_user_id), (handoff_month, score_band_at_handoff))
),

final as (
    select
        grouped.*,
        (select value from targets where metric = 'mqls_per_month') as mql_volume_target,
        (select value from score_target) as mql_score_target,
        (select value from targets where metric = 'first_contact_hours') as first_contact_target_hours,
        (select clock from targets where metric = 'first_contact_hours') as sla_clock,
        cast(handoffs_at_or_over_score_target as double) / handoffs as share_at_or_over_score_target,
        cast(handoffs_with_complete_information as double) / handoffs as share_with_complete_information,
        cast(contacted as double) / handoffs as response_rate,
        case when sla_met + sla_missed > 0 then cast(sla_met as double) / (sla_met + sla_missed) end as share_within_sla
    from grouped
)

select * from final
