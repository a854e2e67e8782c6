-- One row per lead with the first (and for MQL and recycling, the latest) time it reached each stage
-- in the CRM, up to the end of the as-of date.
with

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

status_history as (
    select * from {{ ref('stg_crm__lead_status_history') }}
    where changed_at < {{ as_of_end_utc_literal() }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

status_times as (
    select
        lead_id,
        {%- for status in ['mql', 'sal', 'sql', 'disqualified', 'recycled'] %}
        min(case when status = '{{ status }}' then changed_at end) as first_{{ status }}_at,
        {%- endfor %}
        max(case when status = 'mql' then changed_at end) as latest_mql_at,
        count(case when status = 'mql' then 1 end) as mql_count,
        count(case when status = 'recycled' then 1 end) as recycle_count,
        max(case when status = 'disqualified' then reason end) as disqualification_reason,
        max(case when status = 'recycled' then reason end) as recycle_reason
    from status_history
    group by 1
),

opportunity_outcomes as (
    select
        lead_id,
        min(created_at) as first_opportunity_at,
        min(case when is_won and closed_date <= {{ as_of_date_literal() }} then closed_date end) as won_date,
        min(case when stage_outcome = 'lost' and closed_date <= {{ as_of_date_literal() }} then closed_date end)
            as lost_date,
        max(case when stage_outcome = 'lost' then lost_reason end) as lost_reason,
        sum(case when is_won and closed_date <= {{ as_of_date_literal() }} then amount_jpy else 0 end) as won_amount_jpy,
        sum(case when not is_closed then amount_jpy else 0 end) as open_pipeline_amount_jpy
    from opportunities
    group by 1
),

final as (
    select
        leads.lead_id,
        leads.created_at,
        leads.created_date,
        status_times.first_mql_at,
        status_times.latest_mql_at,
        coalesce(status_times.mql_count, 0) as mql_count,
        status_times.first_sal_at,
        status_times.first_sql_at,
        opportunity_outcomes.first_opportunity_at,
        opportunity_outcomes.won_date,
        opportunity_outcomes.lost_date,
        status_times.first_disqualified_at,
        status_times.first_recycled_at,
        coalesce(status_times.recycle_count, 0) as recycle_count,
        status_times.disqualification_reason,
        status_times.recycle_reason,
        opportunity_outcomes.lost_reason,
        coalesce(opportunity_outcomes.won_amount_jpy, 0) as won_amount_jpy,
        coalesce(opportunity_outcomes.open_pipeline_amount_jpy, 0) as open_pipeline_amount_jpy
    from leads
    left join status_times
        on leads.lead_id = status_times.lead_id
    left join opportunity_outcomes
        on leads.lead_id = opportunity_outcomes.lead_id
)

select * from final
