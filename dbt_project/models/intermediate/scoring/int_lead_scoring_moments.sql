-- One row per lead x moment it is scored at. Every scoring model works per moment, so the same rules
-- give both today's scores and the score a lead had when it was handed to sales:
--   as_of      the end of the as-of date (var scoring_as_of), for every lead created by then
--   first_mql  the end of the Japan day of the lead's first MQL handoff (up to the as-of date)
--   decision   the first MQL handoff or var decision_days_after_creation days after creation,
--              whichever comes first (up to the as-of date): the moment a score should predict from
-- Scores are day-grained: everything up to the end of as_of_date counts, nothing later.
with

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

status_history as (
    select * from {{ ref('stg_crm__lead_status_history') }}
    where changed_at < {{ as_of_end_utc_literal() }}
),

first_mql_handoffs as (
    select lead_id, min(changed_at) as first_mql_at
    from status_history
    where status = 'mql'
    group by 1
),

moments as (
    select
        lead_id,
        'as_of' as scoring_moment,
        {{ as_of_date_literal() }} as as_of_date
    from leads
    union all
    select
        first_mql_handoffs.lead_id,
        'first_mql' as scoring_moment,
        {{ japan_date('first_mql_handoffs.first_mql_at') }} as as_of_date
    from first_mql_handoffs
    inner join leads
        on first_mql_handoffs.lead_id = leads.lead_id
    union all
    select
        leads.lead_id,
        'decision' as scoring_moment,
        least(
            coalesce({{ japan_date('first_mql_handoffs.first_mql_at') }}, cast('9999-12-31' as date)),
            cast({{ dbt.dateadd('day', var('decision_days_after_creation'), 'leads.created_date') }} as date)
        ) as as_of_date
    from leads
    left join first_mql_handoffs
        on leads.lead_id = first_mql_handoffs.lead_id
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
