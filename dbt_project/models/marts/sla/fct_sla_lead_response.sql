-- One row per handed-off lead (its first MQL handoff up to the as-of date): when sales first contacted
-- it, and whether that met the SLA on the clock the target states (seed sla_targets, column clock):
--   calendar  every hour counts
--   paused    24 hours a day on Japan working days: weekends and public holidays pause the clock
--   business  working hours of working days only (vars sla_business_day_start_hour / _end_hour)
-- First contact is the first sales activity after the handoff whose type is in var
-- first_contact_activity_types and whose subject matches none of var first_contact_excluded_subjects
-- (a template greeting e-mail is not a contact). The clock starts at the handoff, not when the alert
-- reached sales: the alert_* columns show how delivery went (alerting/), from the delivery log as the
-- refresh found it, for the alerts raised on or after the handoff day.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
    where first_mql_at is not null
),

sales_activities as (
    select * from {{ ref('stg_crm__sales_activities') }}
    where activity_at < {{ as_of_end_utc_literal() }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

activities as (
    select * from {{ ref('stg_ma__activities') }}
),

behavior_before_handoff as (
    select distinct funnel.lead_id
    from funnel
    inner join activities
        on funnel.lead_id = activities.lead_id
        and activities.activity_at < funnel.first_mql_at
),

targets as (
    select * from {{ ref('sla_targets') }}
    where metric = 'first_contact_hours' and {{ is_active_as_of() }}
),

-- Alerts of days after the as-of date were not sent yet as of then (point in time).
deliveries as (
    select * from {{ ref('stg_alerting__deliveries') }}
    where scored_as_of <= {{ as_of_date_literal() }}
),

{%- set delivery_concern = "case delivery_status when 'given_up' then 4 when 'failed' then 3 when 'queued' then 2 else 1 end" %}

-- Most worrying delivery first: one route that failed shows even when another one went out.
deliveries_since_handoff as (
    select
        funnel.lead_id,
        deliveries.delivery_status,
        deliveries.delivery_attempts,
        deliveries.delivery_error,
        deliveries.sent_at,
        row_number() over (
            partition by funnel.lead_id
            order by {{ delivery_concern }} desc, deliveries.last_attempt_at desc nulls last,
                deliveries.alert_id, deliveries.route_id
        ) as concern_rank
    from funnel
    inner join deliveries
        on funnel.lead_id = deliveries.lead_id
        and deliveries.scored_as_of >= {{ japan_date('funnel.first_mql_at') }}
),

alert_deliveries as (
    select
        lead_id,
        max(case when concern_rank = 1 then delivery_status end) as alert_delivery_status,
        max(case when concern_rank = 1 then delivery_error end) as alert_delivery_error,
        sum(delivery_attempts) as alert_delivery_attempts,
        min(sent_at) as first_alert_sent_at
    from deliveries_since_handoff
    group by lead_id
),

contacts as (
    select * from sales_activities
    where activity_type in (
        {%- for activity_type in var('first_contact_activity_types') %}
        {{ dbt.string_literal(activity_type) }}{{ "," if not loop.last }}
        {%- endfor %}
    )
    {%- for pattern in var('first_contact_excluded_subjects') %}
        and coalesce(subject, '') not like {{ dbt.string_literal(pattern) }}
    {%- endfor %}
),

first_contacts_ranked as (
    select
        funnel.lead_id,
        contacts.activity_at,
        contacts.activity_type,
        row_number() over (
            partition by funnel.lead_id order by contacts.activity_at, contacts.sales_activity_id
        ) as contact_rank
    from funnel
    inner join contacts
        on funnel.lead_id = contacts.lead_id
        and contacts.activity_at >= funnel.first_mql_at
),

{%- set clocks = ['calendar', 'paused', 'business'] %}

clocked as (
    select
        funnel.lead_id,
        funnel.owner_user_id,
        funnel.owner_name,
        funnel.first_mql_at as handed_at,
        {{ japan_date('funnel.first_mql_at') }} as handed_date,
        funnel.score_at_first_mql as score_at_handoff,
        funnel.score_band_at_first_mql as score_band_at_handoff,
        first_contacts_ranked.activity_at as first_contact_at,
        first_contacts_ranked.activity_type as first_contact_type,
        {%- for clock in clocks %}
        {{ sla_hours(clock, 'funnel.first_mql_at', 'first_contacts_ranked.activity_at') }} as response_hours_{{ clock }},
        {%- endfor %}
        -- How long a handoff has waited by the end of the as-of date, on the target's clock only.
        case targets.clock
            {%- for clock in clocks %}
            when '{{ clock }}' then {{ sla_hours(clock, 'funnel.first_mql_at', as_of_end_utc_literal()) }}
            {%- endfor %}
        end as hours_since_handoff,
        {%- for field in var('handoff_required_fields') %}
        leads.{{ field }} is not null{{ " and" if not loop.last else " as is_information_complete," }}
        {%- endfor %}
        behavior_before_handoff.lead_id is not null as has_behavior_history,
        targets.value as sla_target_hours,
        targets.clock as sla_clock,
        coalesce(alert_deliveries.alert_delivery_status, 'not_alerted') as alert_delivery_status,
        alert_deliveries.first_alert_sent_at,
        {{ elapsed_hours('funnel.first_mql_at', 'alert_deliveries.first_alert_sent_at') }} as hours_handoff_to_alert,
        coalesce(alert_deliveries.alert_delivery_attempts, 0) as alert_delivery_attempts,
        alert_deliveries.alert_delivery_error
    from funnel
    inner join leads
        on funnel.lead_id = leads.lead_id
    left join behavior_before_handoff
        on funnel.lead_id = behavior_before_handoff.lead_id
    left join first_contacts_ranked
        on funnel.lead_id = first_contacts_ranked.lead_id
        and first_contacts_ranked.contact_rank = 1
    left join targets
        on true
    left join alert_deliveries
        on funnel.lead_id = alert_deliveries.lead_id
),

on_target_clock as (
    select
        *,
        case sla_clock
            {%- for clock in clocks %}
            when '{{ clock }}' then response_hours_{{ clock }}
            {%- endfor %}
        end as response_hours
    from clocked
),

final as (
    select
        lead_id,
        owner_user_id,
        owner_name,
        handed_at,
        handed_date,
        cast({{ dbt.date_trunc('month', 'handed_date') }} as date) as handoff_month,
        score_at_handoff,
        score_band_at_handoff,
        first_contact_at,
        first_contact_type,
        first_contact_at is not null as is_contacted,
        response_hours_calendar,
        response_hours_paused,
        response_hours_business,
        response_hours,
        case
            when response_hours <= sla_target_hours then 'met'
            when first_contact_at is not null or hours_since_handoff > sla_target_hours then 'missed'
            else 'pending'
        end as sla_status,
        coalesce(response_hours <= sla_target_hours, false) as is_within_sla,
        first_contact_at is null and hours_since_handoff > sla_target_hours as is_overdue,
        case when first_contact_at is null then hours_since_handoff end as waiting_hours,
        is_information_complete,
        has_behavior_history,
        sla_target_hours,
        sla_clock,
        alert_delivery_status,
        first_alert_sent_at,
        hours_handoff_to_alert,
        alert_delivery_attempts,
        alert_delivery_error
    from on_target_clock
)

select * from final
