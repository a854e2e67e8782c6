-- One row per lead x rule that fired, with its contribution on its component's 0-100 scale:
--   demographic: points x 100 / (sum over categories of the category's best points)   [145 by default]
--   behaviour:   points after decay and caps x 100 / var behavior_full_score_points   [100 by default]
--   BANT:        points x 100 / (sum over dimensions of the dimension's best points)  [100 by default]
-- Each contribution is rounded to 0.01, and a component score is the sum of its rows, so the
-- explanation adds up exactly.
with

demographic_hits as (
    select * from {{ ref('int_lead_demographic_rule_hits') }}
),

behavior_points as (
    select * from {{ ref('int_lead_behavior_rule_points') }}
),

bant_hits as (
    select * from {{ ref('int_lead_bant_rule_hits') }}
),

demographic_rules as (
    select * from {{ ref('demographic_rules') }}
    where {{ is_active_as_of() }}
),

bant_rules as (
    select * from {{ ref('bant_rules') }}
    where {{ is_active_as_of() }}
),

demographic_best_per_category as (
    select category, max(points) as best_points
    from demographic_rules
    group by 1
    having max(points) > 0
),

bant_best_per_dimension as (
    select dimension, max(points) as best_points
    from bant_rules
    group by 1
    having max(points) > 0
),

full_scales as (
    select
        (select sum(best_points) from demographic_best_per_category) as demographic_full_points,
        (select sum(best_points) from bant_best_per_dimension) as bant_full_points,
        cast({{ var('behavior_full_score_points') }} as double) as behavior_full_points
),

rule_scores as (
    select
        demographic_hits.lead_id,
        'demographic' as score_component,
        demographic_hits.rule_id,
        demographic_hits.category,
        1 as evidence_count,
        cast(demographic_hits.points as double) as points_before_decay,
        cast(demographic_hits.points as double) as points_after_decay,
        cast(demographic_hits.points as double) as points_after_cap,
        {{ score_value('demographic_hits.points * 100.0 / full_scales.demographic_full_points') }} as component_score_points
    from demographic_hits
    cross join full_scales
    union all
    select
        behavior_points.lead_id,
        'behavior' as score_component,
        behavior_points.rule_id,
        behavior_points.category,
        behavior_points.evidence_count,
        behavior_points.points_before_decay,
        behavior_points.points_after_decay,
        behavior_points.points_after_cap,
        {{ score_value('behavior_points.points_after_cap * 100.0 / full_scales.behavior_full_points') }} as component_score_points
    from behavior_points
    cross join full_scales
    union all
    select
        bant_hits.lead_id,
        'bant' as score_component,
        bant_hits.rule_id,
        bant_hits.category,
        1 as evidence_count,
        cast(bant_hits.points as double) as points_before_decay,
        cast(bant_hits.points as double) as points_after_decay,
        cast(bant_hits.points as double) as points_after_cap,
        {{ score_value('bant_hits.points * 100.0 / full_scales.bant_full_points') }} as component_score_points
    from bant_hits
    cross join full_scales
)

select * from rule_scores
