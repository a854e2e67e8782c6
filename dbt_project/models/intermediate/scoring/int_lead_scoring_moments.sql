-- One row per lead x moment it is scored at. Every scoring model works per moment, so the same rules
-- give both today's scores and the score a lead had when it was handed to sales:
--   as_of      the end of the as-of date (var scoring_as_of), for every lead created by then
--   first_mql  the end of the Japan day of the lead's first MQL handoff (up to the as-of date)
--   decision   the first MQL handoff or var decision_days_after_creation days after creation,
--              whichever comes first (up to the as-of date): the moment a score should predict from
-- Scores are day-grained: everything up to the end of as_of_date counts, nothing later.

-- The first MQL handoff is the funnel's (int_lead_stage_times), so scores at handoff and the funnel
-- and SLA marts always speak of the same moment.
{{ require_rows_in_force(['demographic_rules', 'behavior_rules', 'bant_rules', 'integrated_weights', 'scoring_thresholds']) }}
with

-- Leads created by the end of the as-of date, with CRM stage times up to then.
leads as (
    select * from {{ ref('int_lead_stage_times') }}
),

moments as (
    select
        lead_id,
        'as_of' as scoring_moment,
        {{ as_of_date_literal() }} as as_of_date
    from leads
    union all
    select
        lead_id,
        'first_mql' as scoring_moment,
        {{ japan_date('first_mql_at') }} as as_of_date
    from leads
    where first_mql_at is not null
    union all
    select
        lead_id,
        'decision' as scoring_moment,
        least(
            coalesce({{ japan_date('first_mql_at') }}, cast('9999-12-31' as date)),
            cast({{ dbt.dateadd('day', var('decision_days_after_creation'), 'created_date') }} as date)
        ) as as_of_date
    from leads
),

moments_up_to_as_of as (
    select * from moments
    where as_of_date <= {{ as_of_date_literal() }}
),

final as (
    select
        lead_id,
        scoring_moment,
        as_of_date,
        -- The first instant after as_of_date in Japan, in UTC.
        {{ dbt.dateadd('hour', 24 - var('export_utc_offset_hours'), 'cast(as_of_date as timestamp)') }} as as_of_end_at
    from moments_up_to_as_of
)

select * from final
