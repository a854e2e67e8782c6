-- One row per lead x scoring moment x behaviour rule in force on the moment's date: evidence, points
-- before and after time decay, and after the category cap. Only days up to as_of_date count.
--   per_event rules:     points x events; positive points x decayed evidence, where each day's events
--                        count 0.5 ^ (age in days / half-life)
--   distinct_days rules: points once when the lead was active on >= min_count days in window_days
--   category caps:       a category's decayed sum is scaled into [min_points, max_points]
with

hits_aged as (
    select * from {{ ref('int_lead_behavior_hits_at_moments') }}
),

category_caps as (
    select * from {{ ref('behavior_category_caps') }}
),

attributes as (
    select * from {{ ref('int_lead_attributes') }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
    where rule_kind in ('attribute_at_least', 'attribute_within_days')
),

per_event_points as (
    select
        lead_id,
        scoring_moment,
        rule_id,
        category,
        description_en,
        label_ja,
        max(points) as points,
        sum(event_count) as evidence_count,
        {{ exact_sum("event_count * power(0.5, age_days / cast(" ~ var('behavior_half_life_days') ~ " as double))") }}
            as decayed_evidence,
        max(last_event_at) as last_event_at
    from hits_aged
    where rule_kind = 'per_event'
    group by 1, 2, 3, 4, 5, 6
),

-- Points are applied to the evidence once per rule (points are constant per rule at a moment), the
-- same arithmetic the backtest's what-if scoring uses for other points (lead_evaluation).
per_event_rule_points as (
    select
        lead_id,
        scoring_moment,
        rule_id,
        category,
        description_en,
        label_ja,
        evidence_count,
        decayed_evidence,
        cast(points * evidence_count as double) as points_before_decay,
        case when points > 0 then points * decayed_evidence else cast(points * evidence_count as double) end
            as points_after_decay,
        last_event_at
    from per_event_points
),

distinct_day_points as (
    select
        lead_id,
        scoring_moment,
        rule_id,
        category,
        description_en,
        label_ja,
        count(*) as evidence_count,
        cast(1 as double) as decayed_evidence,
        max(points) as points_before_decay,
        max(points) as points_after_decay,
        max(last_event_at) as last_event_at
    from hits_aged
    where rule_kind = 'distinct_days' and age_days < window_days
    group by 1, 2, 3, 4, 5, 6
    having count(*) >= max(min_count)
),

-- Aggregated behaviour of a flat lead list (custom attributes such as web_visits): known only as of
-- the export, so it scores the as-of moment only (scoring a past moment with it would leak).
attribute_points as (
    select
        attributes.lead_id,
        attributes.scoring_moment,
        rules.rule_id,
        rules.category,
        rules.description_en,
        rules.label_ja,
        1 as evidence_count,
        cast(1 as double) as decayed_evidence,
        cast(rules.points as double) as points_before_decay,
        cast(rules.points as double) as points_after_decay,
        cast(null as timestamp) as last_event_at
    from attributes
    inner join rules
        on attributes.attribute = rules.event_type
        and {{ is_active_on('attributes.as_of_date') }}
    where attributes.scoring_moment = 'as_of'
        and (
            (rules.rule_kind = 'attribute_at_least' and attributes.value_number >= rules.min_count)
            or (
                rules.rule_kind = 'attribute_within_days'
                and {{ dbt.datediff(parse_export_date('attributes.value_text'), 'attributes.as_of_date', 'day') }}
                    between 0 and rules.window_days - 1
            )
        )
),

rule_points as (
    select * from per_event_rule_points
    union all
    select * from distinct_day_points
    union all
    select * from attribute_points
),

category_sums as (
    select
        rule_points.lead_id,
        rule_points.scoring_moment,
        rule_points.category,
        {{ exact_sum('rule_points.points_after_decay') }} as category_points,
        max(category_caps.max_points) as max_points,
        max(category_caps.min_points) as min_points
    from rule_points
    left join category_caps
        on rule_points.category = category_caps.category
    group by 1, 2, 3
),

category_scale as (
    select
        lead_id,
        scoring_moment,
        category,
        case
            when category_points > max_points then max_points / category_points
            when category_points < min_points then min_points / category_points
            else 1.0
        end as cap_factor
    from category_sums
),

final as (
    select
        rule_points.lead_id,
        rule_points.scoring_moment,
        rule_points.rule_id,
        rule_points.category,
        rule_points.description_en,
        rule_points.label_ja,
        rule_points.evidence_count,
        rule_points.decayed_evidence,
        cast(rule_points.points_before_decay as double) as points_before_decay,
        rule_points.points_after_decay,
        rule_points.points_after_decay * category_scale.cap_factor as points_after_cap,
        rule_points.last_event_at
    from rule_points
    inner join category_scale
        on rule_points.lead_id = category_scale.lead_id
        and rule_points.scoring_moment = category_scale.scoring_moment
        and rule_points.category = category_scale.category
)

select * from final
