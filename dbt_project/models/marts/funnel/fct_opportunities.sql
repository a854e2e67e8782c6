-- One row per opportunity created by the as-of date, with the Japan date it was created and its
-- lead's channel: pipeline created per month and channel, as the KPI mart and the semantic layer count
-- it. How it closed is left out: that may be after the as-of date (fct_lead_funnel has it as of then).
with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
),

final as (
    select
        opportunities.opportunity_id,
        opportunities.lead_id,
        opportunities.account_id,
        opportunities.owner_user_id,
        coalesce(leads.channel_code, {{ unmapped_channel() }}) as channel_code,
        opportunities.created_at,
        {{ japan_date('opportunities.created_at') }} as created_date,
        opportunities.amount_jpy
    from opportunities
    left join leads
        on opportunities.lead_id = leads.lead_id
)

select * from final
