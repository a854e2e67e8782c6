-- One row per lead x scoring moment x behaviour rule in force on the moment's date: evidence, points
-- before and after time decay, and after the category cap. Only days up to as_of_date count.
--   per_event rules:     points x decayed evidence, where each day's events count
--                        0.5 ^ (age in days / half-life) - negative points too, unless the category
--                        sets negative_points_expire_after_days: then they count in full until then
--                        and not at all after (age in whole Japan calendar days)
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
    {{ rows_of_moments_to_score(ref('int_lead_attributes')) }}
),

rules as (
    select * from {{ ref('behavior_rules') }}
    where rule_kind in ('attribute_at_least', 'attribute_within_days')
),

custom_attributes as (
    select * from {{ ref('int_custom_attributes') }}
),

-- One pass over the day rows, for both kinds of event rules: each CTE here is read once, so DuckDB
-- streams it (a CTE read twice is held in memory whole, which ran out of memory at 1M leads).
event_rule_evidence as (
    select
        hits_aged.lead_id,
        hits_aged.scoring_moment,
        hits_aged.rule_id,
        hits_aged.category,
        hits_aged.rule_kind,
        max(points) as points,
        max(min_count) as min_count,
        sum(event_count) as event_count,
        {{ exact_sum("event_count * power(0.5, age_days / cast(" ~ var('behavior_half_life_days') ~ " as double))") }}
            as decayed_evidence,
        max(last_event_at) as last_event_at,
        count(case when age_days < window_days then 1 end) as days_in_window,
        max(case when age_days < window_days then last_event_at end) as last_event_in_window_at,
        max(category_caps.negative_points_expire_after_days) as negative_expiry_days,
        sum(case when age_days < category_caps.negative_points_expire_after_days then event_count else 0 end)
            as unexpired_event_count
    from hits_aged
    left join category_caps
        on hits_aged.category = category_caps.category
    where rule_kind in ('per_event', 'distinct_days')
    group by 1, 2, 3, 4, 5
),

-- per_event: points are applied to the evidence once per rule (points are constant per rule at a
-- moment), the same arithmetic the backtest's what-if scoring uses (lead_evaluation).
-- distinct_days: the rule's points once, with the active days in the window as evidence.
event_rule_points as (
    select
        lead_id,
        scoring_moment,
        rule_id,
        category,
        case when rule_kind = 'per_event' then event_count else days_in_window end as evidence_count,
        case when rule_kind = 'per_event' then decayed_evidence else cast(1 as double) end as decayed_evidence,
        case when rule_kind = 'per_event' and negative_expiry_days is not null then unexpired_event_count end
            as unexpired_evidence,
        case when rule_kind = 'per_event' then cast(points * event_count as double) else points end
            as points_before_decay,
        case
            when rule_kind = 'distinct_days' then cast(points as double)
            when points > 0 or negative_expiry_days is null then points * decayed_evidence
            else cast(points * unexpired_event_count as double)
        end as points_after_decay,
        case when rule_kind = 'per_event' then last_event_at else last_event_in_window_at end as last_event_at
    from event_rule_evidence
    where rule_kind = 'per_event' or (days_in_window > 0 and days_in_window >= min_count)
),

-- Aggregated behaviour of a flat lead list (custom attributes such as web_visits): known as of the
-- export, so it scores the as-of moment only (scoring a past moment with it would leak), unless the
-- export profile declares the column known before the decision (int_custom_attributes).
attribute_points as (
    select
        attributes.lead_id,
        attributes.scoring_moment,
        rules.rule_id,
        rules.category,
        1 as evidence_count,
        cast(1 as double) as decayed_evidence,
        cast(null as bigint) as unexpired_evidence,
        cast(rules.points as double) as points_before_decay,
        cast(rules.points as double) as points_after_decay,
        cast(null as timestamp) as last_event_at
    from attributes
    inner join rules
        on attributes.attribute = rules.event_type
        and {{ is_active_on('attributes.as_of_date') }}
    left join custom_attributes
        on attributes.attribute = custom_attributes.attribute
    where (attributes.scoring_moment = 'as_of' or custom_attributes.is_known_at_decision)
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
    select * from event_rule_points
    union all
    select * from attribute_points
),

-- A category's decayed sum, beside each of its rules (a window, so rule_points is read once).
category_sums as (
    select
        rule_points.*,
        {{ exact_sum(
            'rule_points.points_after_decay',
            over='partition by rule_points.lead_id, rule_points.scoring_moment, rule_points.category',
        ) }} as category_points,
        category_caps.max_points,
        category_caps.min_points
    from rule_points
    left join category_caps
        on rule_points.category = category_caps.category
),

final as (
    select
        lead_id,
        scoring_moment,
        rule_id,
        category,
        evidence_count,
        decayed_evidence,
        unexpired_evidence,
        cast(points_before_decay as double) as points_before_decay,
        points_after_decay,
        points_after_decay * case
            when category_points > max_points then max_points / category_points
            when category_points < min_points then min_points / category_points
            else 1.0
        end as points_after_cap,
        last_event_at
    from category_sums
)

select * from final
