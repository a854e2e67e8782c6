-- One row per lead x score line: every rule that fired, weighted into the total, plus the
-- adjustments that keep each score within 0-100 and that zero a disqualified lead's total.
-- For every lead, the lines sum exactly to its component scores and to its total score.
with

rule_scores as (
    select * from {{ ref('int_lead_component_rule_scores') }}
),

bant_latest as (
    select * from {{ ref('int_lead_bant_latest') }}
),

disqualifications as (
    select * from {{ ref('int_lead_disqualifications') }}
),

weights as (
    select * from {{ ref('integrated_weights') }}
    where {{ is_active_as_of() }}
),

adjustments as (
    select * from {{ ref('score_adjustments') }}
),

component_sums as (
    select lead_id, score_component, sum(component_score_points) as raw_score
    from rule_scores
    group by 1, 2
),

component_range_adjustments as (
    select
        component_sums.lead_id,
        component_sums.score_component,
        adjustments.adjustment_id as rule_id,
        'adjustment' as category,
        cast(null as integer) as evidence_count,
        cast(null as double) as points_before_decay,
        cast(null as double) as points_after_decay,
        cast(null as double) as points_after_cap,
        {{ score_value('least(greatest(component_sums.raw_score, 0), 100) - component_sums.raw_score') }}
            as component_score_points
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
        {{ score_value('component_lines.component_score_points * weights.weight') }} as total_score_points
    from component_lines
    left join bant_latest
        on component_lines.lead_id = bant_latest.lead_id
    inner join weights
        on component_lines.score_component = weights.score_component
        and weights.weight_set = case when bant_latest.lead_id is null then 'bant_not_assessed' else 'bant_assessed' end
),

weighted_totals as (
    select lead_id, sum(total_score_points) as raw_total
    from weighted_lines
    group by 1
),

total_range_adjustments as (
    select
        weighted_totals.lead_id,
        adjustments.adjustment_id as rule_id,
        {{ score_value('least(greatest(weighted_totals.raw_total, 0), 100) - weighted_totals.raw_total') }}
            as total_score_points
    from weighted_totals
    inner join adjustments
        on adjustments.score_component = 'total' and adjustments.adjustment_kind = 'range'
    where weighted_totals.raw_total < 0 or weighted_totals.raw_total > 100
),

disqualified_leads as (
    select
        lead_id,
        min(rule_id) as rule_id,
        count(*) as evidence_count
    from disqualifications
    group by 1
),

disqualification_adjustments as (
    select
        disqualified_leads.lead_id,
        disqualified_leads.rule_id,
        disqualified_leads.evidence_count,
        {{ score_value('-(weighted_totals.raw_total + coalesce(total_range_adjustments.total_score_points, 0))') }}
            as total_score_points
    from disqualified_leads
    inner join weighted_totals
        on disqualified_leads.lead_id = weighted_totals.lead_id
    left join total_range_adjustments
        on disqualified_leads.lead_id = total_range_adjustments.lead_id
),

total_lines as (
    select lead_id, rule_id, cast(null as integer) as evidence_count, total_score_points
    from total_range_adjustments
    union all
    select lead_id, rule_id, evidence_count, total_score_points
    from disqualification_adjustments
),

final as (
    select
        lead_id,
        score_component,
        rule_id,
        category,
        evidence_count,
        points_before_decay,
        points_after_decay,
        points_after_cap,
        component_score_points,
        weight,
        total_score_points
    from weighted_lines
    union all
    select
        lead_id,
        'total' as score_component,
        rule_id,
        'adjustment' as category,
        evidence_count,
        cast(null as double) as points_before_decay,
        cast(null as double) as points_after_decay,
        cast(null as double) as points_after_cap,
        cast(null as decimal(12, 2)) as component_score_points,
        cast(null as double) as weight,
        total_score_points
    from total_lines
)

select * from final
