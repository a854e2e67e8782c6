-- One row per scored lead: its buying stage from seed buying_stage_rules, the first rule (by
-- evaluation_order) whose behaviour category has at least min_events events in its window.
with

leads as (
    select lead_id from {{ ref('int_leads_joined_to_accounts') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

daily_hits as (
    select * from {{ ref('int_behavior_rule_hits_daily') }}
    where event_date <= {{ as_of_date_literal() }}
),

behavior_rules as (
    select * from {{ ref('behavior_rules') }}
    where {{ is_active_as_of() }} and rule_kind = 'per_event'
),

stage_rules as (
    select * from {{ ref('buying_stage_rules') }}
),

category_events_in_window as (
    select
        daily_hits.lead_id,
        stage_rules.evaluation_order,
        sum(daily_hits.event_count) as events_in_window
    from daily_hits
    inner join behavior_rules
        on daily_hits.rule_id = behavior_rules.rule_id
        and daily_hits.rule_valid_from = behavior_rules.valid_from
    inner join stage_rules
        on behavior_rules.category = stage_rules.category
    where {{ dbt.datediff('daily_hits.event_date', as_of_date_literal(), 'day') }} < stage_rules.window_days
    group by 1, 2
),

stage_matches as (
    select category_events_in_window.lead_id, stage_rules.evaluation_order
    from category_events_in_window
    inner join stage_rules
        on category_events_in_window.evaluation_order = stage_rules.evaluation_order
    where category_events_in_window.events_in_window >= stage_rules.min_events
    union all
    -- A rule without a category is the default stage every lead reaches.
    select leads.lead_id, stage_rules.evaluation_order
    from leads
    cross join stage_rules
    where stage_rules.category is null
),

first_matches as (
    select
        lead_id,
        evaluation_order,
        row_number() over (partition by lead_id order by evaluation_order) as match_rank
    from stage_matches
),

final as (
    select
        first_matches.lead_id,
        stage_rules.buying_stage,
        stage_rules.label_ja as buying_stage_label_ja,
        stage_rules.priority,
        stage_rules.recommended_action_en,
        stage_rules.recommended_action_ja
    from first_matches
    inner join stage_rules
        on first_matches.evaluation_order = stage_rules.evaluation_order
    where first_matches.match_rank = 1
)

select * from final
