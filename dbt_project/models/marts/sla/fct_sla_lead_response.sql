-- One row per handed-off lead (its first MQL handoff up to the as-of date): when sales first contacted
-- it, and whether that met the SLA on the clock the target states (seed sla_targets, column clock):
--   calendar  every hour counts
--   paused    24 hours a day on Japan working days: weekends and public holidays pause the clock
--   business  working hours of working days only (vars sla_business_day_start_hour / _end_hour)
-- First contact is the first sales activity after the handoff whose type is in var
-- first_contact_activity_types and whose subject matches none of var first_contact_excluded_subjects
-- (a template greeting e-mail is not a contact). The clock starts at the handoff.
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
        targets.clock as sla_clock
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
        sla_clock
    from on_target_clock
)

select * from final
