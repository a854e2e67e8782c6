-- One row per lead x scoring moment x behaviour rule in force on the moment's date x event day up to
-- that date, with the day's age. The one place that decides which behaviour counts at a moment:
-- the points (int_lead_behavior_rule_points) and the buying stage (int_lead_buying_stages) read it.
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

daily_hits as (
    select * from {{ ref('int_behavior_rule_hits_daily') }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
),

hits_aged as (
    select
        moments.lead_id,
        moments.scoring_moment,
        daily_hits.rule_id,
        daily_hits.event_date,
        daily_hits.event_count,
        daily_hits.last_event_at,
        rules.category,
        rules.rule_kind,
        rules.points,
        rules.min_count,
        rules.window_days,
        {{ dbt.datediff('daily_hits.event_date', 'moments.as_of_date', 'day') }} as age_days
    from moments
    inner join daily_hits
        on moments.lead_id = daily_hits.lead_id
        and daily_hits.event_date <= moments.as_of_date
    inner join rules
        on daily_hits.rule_id = rules.rule_id
        and daily_hits.rule_valid_from is not distinct from rules.valid_from
        and {{ is_active_on('moments.as_of_date') }}
)

select * from hits_aged
