-- One row per handed-off lead (its first MQL handoff up to the as-of date): when sales first contacted
-- it, on a calendar clock and on a business-hours clock (Japan weekdays that are not public holidays,
-- vars sla_business_day_start_hour / _end_hour), and whether that met the SLA.
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

first_contacts_ranked as (
    select
        funnel.lead_id,
        sales_activities.activity_at,
        sales_activities.activity_type,
        row_number() over (partition by funnel.lead_id order by sales_activities.activity_at) as contact_rank
    from funnel
    inner join sales_activities
        on funnel.lead_id = sales_activities.lead_id
        and sales_activities.activity_at >= funnel.first_mql_at
),

{%- set business_hours_args = var('export_utc_offset_hours') ~ ', ' ~ var('sla_business_day_start_hour') ~ ', ' ~ var('sla_business_day_end_hour') %}

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
        {{ dbt.datediff('funnel.first_mql_at', 'first_contacts_ranked.activity_at', 'second') }} / 3600.0
            as response_hours_calendar,
        business_hours_between(funnel.first_mql_at, first_contacts_ranked.activity_at, {{ business_hours_args }})
            as response_hours_business,
        {{ dbt.datediff('funnel.first_mql_at', as_of_end_utc_literal(), 'second') }} / 3600.0
            as waiting_hours_calendar,
        business_hours_between(funnel.first_mql_at, {{ as_of_end_utc_literal() }}, {{ business_hours_args }})
            as waiting_hours_business,
        {%- for field in var('handoff_required_fields') %}
        leads.{{ field }} is not null{{ " and" if not loop.last else " as is_information_complete," }}
        {%- endfor %}
        behavior_before_handoff.lead_id is not null as has_behavior_history,
        targets.value as sla_target_hours
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
        response_hours_business,
        response_hours_calendar <= sla_target_hours as is_within_sla_calendar,
        response_hours_business <= sla_target_hours as is_within_sla_business,
        {%- set clock = var('sla_clock') %}
        coalesce(response_hours_{{ clock }} <= sla_target_hours, false) as is_within_sla,
        first_contact_at is null as is_not_yet_contacted,
        first_contact_at is null and waiting_hours_{{ clock }} > sla_target_hours as is_overdue,
        case when first_contact_at is null then waiting_hours_{{ clock }} end as waiting_hours,
        is_information_complete,
        has_behavior_history,
        sla_target_hours,
        '{{ clock }}' as sla_clock
    from clocked
)

select * from final
