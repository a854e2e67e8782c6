-- One row per lead x behaviour rule version x Japan date with the number of matching events. The event-heavy
-- step: plain set-based SQL over every web activity and email event, for every rule version (rule
-- validity is applied at scoring time, so that any as-of date can be scored from this table).
with

activities as (
    select * from {{ ref('stg_ma__activities') }}
),

email_events as (
    select * from {{ ref('stg_ma__email_events') }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
),

events as (
    select
        lead_id,
        'web' as event_source,
        activity_type as event_type,
        page_path,
        asset_type as detail_value,
        dwell_seconds,
        activity_at as event_at
    from activities
    union all
    select
        lead_id,
        'email' as event_source,
        event_type,
        cast(null as {{ api.Column.translate_type('string') }}) as page_path,
        bounce_type as detail_value,
        cast(null as integer) as dwell_seconds,
        event_at
    from email_events
),

events_matched_to_rules as (
    select
        events.lead_id,
        rules.rule_id,
        rules.valid_from as rule_valid_from,
        {{ japan_date('events.event_at') }} as event_date,
        events.event_at
    from events
    inner join rules
        on events.event_source = rules.event_source
        and events.event_type = rules.event_type
    where (rules.path_pattern is null or coalesce(events.page_path, '') like rules.path_pattern)
        and (rules.detail_value is null or events.detail_value = rules.detail_value)
        and (rules.min_dwell_seconds is null or events.dwell_seconds >= rules.min_dwell_seconds)
),

final as (
    select
        lead_id,
        rule_id,
        rule_valid_from,
        event_date,
        count(*) as event_count,
        max(event_at) as last_event_at
    from events_matched_to_rules
    group by 1, 2, 3, 4
)

select * from final
