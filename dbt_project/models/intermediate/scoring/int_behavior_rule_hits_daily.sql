-- One row per lead x behaviour rule version x Japan date with the number of matching events. The event-heavy
-- step: plain set-based SQL over every web activity and email event, for every rule version (rule
-- validity is applied at scoring time, so that any as-of date can be scored from this table).
-- Incremental: a run recounts only the lead-days that received events since the last run, from all of
-- their events. Rows counted under other rule matching (the behavior_rules seed changed) are deleted
-- first, which makes the run recount everything. The recount finds its lead-days among the new rows
-- only, and keeps those lead-days' events before matching them to rules (one hash join over the
-- events, not a rule match of all of them).
{{
    incremental_config({
        'incremental_strategy': 'delete+insert',
        'unique_key': ['lead_id', 'event_date'],
        'pre_hook': "{% if is_incremental() %}delete from {{ this }} where rules_fingerprint is distinct from ({{ behavior_rules_fingerprint() }}){% endif %}",
    })
}}

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

events as {{ inlined_cte() }} (
    select
        lead_id,
        'web' as event_source,
        activity_type as event_type,
        page_path,
        asset_type as detail_value,
        dwell_seconds,
        activity_at as event_at,
        {{ japan_date('activity_at') }} as event_date,
        loaded_at
    from activities
    union all
    select
        lead_id,
        'email' as event_source,
        event_type,
        cast(null as {{ api.Column.translate_type('string') }}) as page_path,
        bounce_type as detail_value,
        cast(null as integer) as dwell_seconds,
        event_at,
        {{ japan_date('event_at') }} as event_date,
        loaded_at
    from email_events
),

{%- if is_incremental() %}

lead_days_to_recount as (
    select distinct lead_id, event_date
    from events
    where {{ loaded_since_watermark('loaded_at') }}
),

events_to_count as {{ materialized_cte() }} (
    select events.*
    from events
    inner join lead_days_to_recount
        on events.lead_id = lead_days_to_recount.lead_id
        and events.event_date = lead_days_to_recount.event_date
),
{%- else %}

events_to_count as (
    select * from events
),
{%- endif %}

events_matched_to_rules as (
    select
        events_to_count.lead_id,
        rules.rule_id,
        rules.valid_from as rule_valid_from,
        events_to_count.event_date,
        events_to_count.event_at,
        events_to_count.loaded_at
    from events_to_count
    inner join rules
        on events_to_count.event_source = rules.event_source
        and events_to_count.event_type = rules.event_type
    where (rules.path_pattern is null or coalesce(events_to_count.page_path, '') like rules.path_pattern)
        and (rules.detail_value is null or events_to_count.detail_value = rules.detail_value)
        and (rules.min_dwell_seconds is null or events_to_count.dwell_seconds >= rules.min_dwell_seconds)
),

final as (
    select
        lead_id,
        rule_id,
        rule_valid_from,
        event_date,
        count(*) as event_count,
        max(event_at) as last_event_at,
        max(loaded_at) as loaded_at,
        ({{ behavior_rules_fingerprint() }}) as rules_fingerprint
    from events_matched_to_rules
    group by 1, 2, 3, 4
)

select * from final
