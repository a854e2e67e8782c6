-- Counting rule: a lead counts once per stage, at the first time it reached it. A lead that was
-- recycled and handed over again keeps its first MQL time (latest_mql_at and mql_count show the
-- re-qualification). A stage counts as reached when the lead reached it or any later stage, so each
-- stage's count is at least the next one's.
-- SQL has one definition everywhere: the earlier of the CRM's SQL status and the first opportunity
-- (or the won day, for a deal exported without its creation time) - a CRM without an SQL status
-- still has SQLs. A new customer is an account's first won deal; later wins of it are expansion.
with

stage_times as (
    select * from {{ ref('int_lead_stage_times') }}
),

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
),

scores_at_first_mql as (
    select * from {{ ref('int_lead_scores') }}
    where scoring_moment = 'first_mql'
),

-- The decision moment (first handoff, or some days after creation) sets what the score said against
-- what the CRM did: a lead over the threshold there is score-qualified, handed off or not.
scores_at_decision as (
    select * from {{ ref('int_lead_scores') }}
    where scoring_moment = 'decision'
),

reached as (
    select
        stage_times.*,
        won_date is not null as is_won,
        lost_date is not null and won_date is null as is_lost,
        first_opportunity_at is not null or won_date is not null as has_reached_opportunity
    from stage_times
),

-- The one SQL definition: the first of SQL status, opportunity and won day the lead has (least()
-- skips NULLs). Reaching SQL is having that time, and counts as reaching SAL and MQL.
reached_sql as (
    select
        *,
        least(
            first_sql_at,
            first_opportunity_at,
            {{ dbt.dateadd('hour', -var('export_utc_offset_hours'), 'cast(won_date as timestamp)') }}
        ) as qualified_sql_at
    from reached
),

reached_all as (
    select
        *,
        qualified_sql_at is not null as has_reached_sql,
        qualified_sql_at is not null or first_sal_at is not null as has_reached_sal,
        qualified_sql_at is not null or first_sal_at is not null or first_mql_at is not null as has_reached_mql
    from reached_sql
),

-- The account's first won deal makes it a customer (a lead without an account is its own customer).
first_wins as (
    select
        reached_all.lead_id,
        row_number() over (
            partition by coalesce(leads.account_id, reached_all.lead_id)
            order by reached_all.won_date, reached_all.lead_id
        ) as win_order
    from reached_all
    inner join leads
        on reached_all.lead_id = leads.lead_id
    where reached_all.won_date is not null
),

final as (
    select
        reached_all.lead_id,
        leads.account_id,
        leads.lead_source,
        leads.channel_code,
        leads.owner_user_id,
        leads.owner_name,
        reached_all.created_at,
        reached_all.created_date,
        cast({{ dbt.date_trunc('month', 'reached_all.created_date') }} as date) as cohort_month,
        reached_all.first_mql_at,
        {{ japan_date('reached_all.first_mql_at') }} as first_mql_date,
        reached_all.latest_mql_at,
        reached_all.mql_count,
        reached_all.first_sal_at as sal_at,
        reached_all.qualified_sql_at as sql_at,
        {{ japan_date('reached_all.qualified_sql_at') }} as sql_date,
        reached_all.first_sql_at as sql_status_at,
        reached_all.first_opportunity_at as opportunity_created_at,
        reached_all.won_date,
        reached_all.lost_date,
        reached_all.first_disqualified_at as disqualified_at,
        reached_all.first_recycled_at as recycled_at,
        reached_all.recycle_count,
        reached_all.has_reached_mql,
        reached_all.has_reached_sal,
        reached_all.has_reached_sql,
        reached_all.has_reached_opportunity,
        reached_all.is_won,
        coalesce(first_wins.win_order = 1, false) as is_new_customer_win,
        coalesce(first_wins.win_order > 1, false) as is_expansion_win,
        reached_all.is_lost,
        reached_all.first_disqualified_at is not null as is_disqualified,
        reached_all.first_recycled_at is not null as is_recycled,
        reached_all.disqualification_reason,
        reached_all.recycle_reason,
        reached_all.lost_reason,
        {{ elapsed_hours('reached_all.created_at', 'reached_all.first_mql_at') }} / 24 as days_created_to_mql,
        {{ elapsed_hours('reached_all.first_mql_at', 'reached_all.first_sal_at') }} as hours_mql_to_sal,
        {{ elapsed_hours('reached_all.first_sal_at', 'reached_all.qualified_sql_at') }} / 24 as days_sal_to_sql,
        {{ elapsed_hours('reached_all.qualified_sql_at', 'reached_all.first_opportunity_at') }} / 24
            as days_sql_to_opportunity,
        {{ dbt.datediff('reached_all.created_date', 'coalesce(reached_all.won_date, reached_all.lost_date)', 'day') }}
            as days_created_to_close,
        -- A deal closed before its lead was created (a lead entered after the deal): flagged, not hidden.
        coalesce(reached_all.won_date, reached_all.lost_date) < reached_all.created_date as is_closed_before_created,
        scores_at_first_mql.total_score as score_at_first_mql,
        scores_at_first_mql.score_band as score_band_at_first_mql,
        scores_at_first_mql.is_mql as was_over_threshold_at_first_mql,
        scores_at_decision.as_of_date as decision_date,
        scores_at_decision.total_score as score_at_decision,
        scores_at_decision.score_band as score_band_at_decision,
        coalesce(scores_at_decision.is_mql, false) as is_score_qualified_at_decision,
        reached_all.won_amount_jpy,
        reached_all.open_pipeline_amount_jpy
    from reached_all
    inner join leads
        on reached_all.lead_id = leads.lead_id
    left join scores_at_first_mql
        on reached_all.lead_id = scores_at_first_mql.lead_id
    left join scores_at_decision
        on reached_all.lead_id = scores_at_decision.lead_id
    left join first_wins
        on reached_all.lead_id = first_wins.lead_id
)

select * from final
