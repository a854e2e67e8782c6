-- One row per lead x behaviour rule in force, as of the scoring date: evidence, points before and
-- after time decay, and after the category cap. Only days before the end of the as-of date count.
--   per_event rules:     points x events, each day's positive points x 0.5 ^ (age in days / half-life)
--   distinct_days rules: points once when the lead was active on >= min_count days in window_days
--   category caps:       a category's decayed sum is scaled into [min_points, max_points]
with

daily_hits as (
    select * from {{ ref('int_behavior_rule_hits_daily') }}
    where event_date <= {{ as_of_date_literal() }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
    where {{ is_active_as_of() }}
),

category_caps as (
    select * from {{ ref('behavior_category_caps') }}
),

hits_aged as (
    select
        daily_hits.*,
        rules.category,
        rules.rule_kind,
        rules.points,
        rules.min_count,
        rules.window_days,
        {{ dbt.datediff('daily_hits.event_date', as_of_date_literal(), 'day') }} as age_days
    from daily_hits
    inner join rules
        on daily_hits.rule_id = rules.rule_id
        and daily_hits.rule_valid_from = rules.valid_from
),

per_event_points as (
    select
        lead_id,
        rule_id,
        category,
        sum(event_count) as evidence_count,
        sum(event_count * points) as points_before_decay,
        sum(
            event_count * points
            * case when points > 0 then power(0.5, age_days / cast({{ var('behavior_half_life_days') }} as double)) else 1 end
        ) as points_after_decay,
        max(last_event_at) as last_event_at
    from hits_aged
    where rule_kind = 'per_event'
    group by 1, 2, 3
),

distinct_day_points as (
    select
        lead_id,
        rule_id,
        category,
        count(*) as evidence_count,
        max(points) as points_before_decay,
        max(points) as points_after_decay,
        max(last_event_at) as last_event_at
    from hits_aged
    where rule_kind = 'distinct_days' and age_days < window_days
    group by 1, 2, 3
    having count(*) >= max(min_count)
),

rule_points as (
    select * from per_event_points
    union all
    select * from distinct_day_points
),

category_totals as (
    select
        rule_points.lead_id,
        rule_points.category,
        sum(rule_points.points_after_decay) as category_points,
        max(category_caps.max_points) as max_points,
        max(category_caps.min_points) as min_points
    from rule_points
    left join category_caps
        on rule_points.category = category_caps.category
    group by 1, 2
),

category_scale as (
    select
        lead_id,
        category,
        case
            when max_points is not null and category_points > max_points then max_points / category_points
            when min_points is not null and category_points < min_points then min_points / category_points
            else 1.0
        end as cap_factor
    from category_totals
),

final as (
    select
        rule_points.lead_id,
        rule_points.rule_id,
        rule_points.category,
        rule_points.evidence_count,
        cast(rule_points.points_before_decay as double) as points_before_decay,
        rule_points.points_after_decay,
        rule_points.points_after_decay * category_scale.cap_factor as points_after_cap,
        rule_points.last_event_at
    from rule_points
    inner join category_scale
        on rule_points.lead_id = category_scale.lead_id
        and rule_points.category = category_scale.category
)

select * from final
