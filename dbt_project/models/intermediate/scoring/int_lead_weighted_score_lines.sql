-- One row per lead x scoring moment x component line: every rule that fired and each adjustment that
-- keeps a component score within 0-100, with the weight of its component (seed integrated_weights:
-- the bant_assessed set once BANT is assessed) and its contribution to the total score, exact.
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

rule_scores as (
    select * from {{ ref('int_lead_component_rule_scores') }}
),

bant_latest as (
    select * from {{ ref('int_lead_bant_latest') }}
),

weights as (
    select * from {{ ref('integrated_weights') }}
),

adjustments as (
    select * from {{ ref('score_adjustments') }}
),

component_sums as (
    select lead_id, scoring_moment, score_component, sum(component_score_exact) as raw_score
    from rule_scores
    group by 1, 2, 3
),

component_range_adjustments as (
    select
        component_sums.lead_id,
        component_sums.scoring_moment,
        component_sums.score_component,
        adjustments.adjustment_id as rule_id,
        'adjustment' as category,
        cast(null as integer) as evidence_count,
        cast(null as double) as points_before_decay,
        cast(null as double) as points_after_decay,
        cast(null as double) as points_after_cap,
        {{ exact_score('least(greatest(component_sums.raw_score, 0), 100) - component_sums.raw_score') }}
            as component_score_exact
    from component_sums
    inner join adjustments
        on component_sums.score_component = adjustments.score_component
        and adjustments.adjustment_kind = 'range'
    where component_sums.raw_score < 0 or component_sums.raw_score > 100
),

component_lines as (
    select * from rule_scores
    union all
    select * from component_range_adjustments
),

weighted_lines as (
    select
        component_lines.*,
        weights.weight,
        {{ exact_score('component_lines.component_score_exact * cast(weights.weight as decimal(9, 6))') }}
            as total_score_exact
    from component_lines
    inner join moments
        on component_lines.lead_id = moments.lead_id
        and component_lines.scoring_moment = moments.scoring_moment
    left join bant_latest
        on component_lines.lead_id = bant_latest.lead_id
        and component_lines.scoring_moment = bant_latest.scoring_moment
    inner join weights
        on component_lines.score_component = weights.score_component
        and weights.weight_set = case when bant_latest.lead_id is null then 'bant_not_assessed' else 'bant_assessed' end
        and {{ is_active_on('moments.as_of_date', 'weights') }}
)

select * from weighted_lines
