-- One row per Japan month x dimension x value: events and active leads per activity type (web and
-- email), and per buying-stage signal (events in the behaviour category a stage rule watches, e.g.
-- pricing views for 比較検討). For seasonality and shifts in what leads look at.
with

activities as (
    select * from {{ ref('stg_ma__activities') }}
    where activity_at < {{ as_of_end_utc_literal() }}
),

email_events as (
    select * from {{ ref('stg_ma__email_events') }}
    where event_at < {{ as_of_end_utc_literal() }}
),

daily_hits as (
    select * from {{ ref('int_behavior_rule_hits_daily') }}
    where event_date <= {{ as_of_date_literal() }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
),

stage_rules as (
    select * from {{ ref('buying_stage_rules') }}
),

-- The behaviour rules that signal each buying stage (once each, though two stage rules name them).
stage_rule_behaviors as (
    select distinct stage_rules.buying_stage, rules.rule_id
    from stage_rules
    inner join rules
        on (stage_rules.evidence_kind = 'behavior_category' and rules.category = stage_rules.evidence)
        or (stage_rules.evidence_kind = 'behavior_rules' and {{ in_pipe_list('rules.rule_id', 'stage_rules.evidence') }})
),

events_by_type as (
    select lead_id, activity_type as value, {{ japan_date('activity_at') }} as event_date, 1 as event_count
    from activities
    union all
    select lead_id, 'email_' || event_type as value, {{ japan_date('event_at') }} as event_date, 1 as event_count
    from email_events
),

stage_signals as (
    select
        daily_hits.lead_id,
        stage_rule_behaviors.buying_stage as value,
        daily_hits.event_date,
        daily_hits.event_count
    from daily_hits
    inner join rules
        on daily_hits.rule_id = rules.rule_id
        and daily_hits.rule_valid_from is not distinct from rules.valid_from
    inner join stage_rule_behaviors
        on rules.rule_id = stage_rule_behaviors.rule_id
),

all_events as (
    select 'activity_type' as dimension, * from events_by_type
    union all
    select 'buying_stage_signal' as dimension, * from stage_signals
),

-- One row per lead first, so that active leads are a count, not a count distinct over every event.
lead_months as (
    select
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as activity_month,
        dimension,
        value,
        lead_id,
        sum(event_count) as events
    from all_events
    group by 1, 2, 3, 4
),

final as (
    select
        activity_month,
        dimension,
        value,
        cast(sum(events) as bigint) as events,
        count(lead_id) as active_leads
    from lead_months
    group by 1, 2, 3
)

select * from final
