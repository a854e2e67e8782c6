-- One row per lead x scoring moment x score line: the weighted component lines plus the total-level
-- adjustments that keep the total within 0-100 and that zero a disqualified lead's total. Scores are
-- computed exactly and rounded once: a component score is its exact lines' sum rounded to cents, the
-- total likewise, and the lines are shown in cents that add up to them (largest remainder). The
-- lines go through the windows that share out the cents with keys and numbers only; their texts are
-- looked up afterwards (int_score_line_texts).
with

weighted_lines as (
    select * from {{ ref('int_lead_weighted_score_lines') }}
),

disqualifications as (
    select * from {{ ref('int_lead_disqualifications') }}
),

adjustments as (
    select * from {{ ref('score_adjustments') }}
),

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

line_texts as (
    select * from {{ ref('int_score_line_texts') }}
),

weighted_totals as (
    select lead_id, scoring_moment, sum(total_score_exact) as raw_total
    from weighted_lines
    group by 1, 2
),

total_range_adjustments as (
    select
        weighted_totals.lead_id,
        weighted_totals.scoring_moment,
        adjustments.adjustment_id as rule_id,
        cast(null as integer) as evidence_count,
        {{ exact_score('least(greatest(weighted_totals.raw_total, 0), 100) - weighted_totals.raw_total') }}
            as total_score_exact
    from weighted_totals
    inner join adjustments
        on adjustments.score_component = 'total' and adjustments.adjustment_kind = 'range'
    where weighted_totals.raw_total < 0 or weighted_totals.raw_total > 100
),

disqualifications_ranked as (
    select
        *,
        count(*) over (partition by lead_id, scoring_moment) as disqualifier_count,
        row_number() over (partition by lead_id, scoring_moment order by rule_id) as disqualifier_rank
    from disqualifications
),

disqualification_adjustments as (
    select
        disqualifications_ranked.lead_id,
        disqualifications_ranked.scoring_moment,
        disqualifications_ranked.rule_id,
        cast(disqualifications_ranked.disqualifier_count as integer) as evidence_count,
        {{ exact_score('-(weighted_totals.raw_total + coalesce(total_range_adjustments.total_score_exact, 0))') }}
            as total_score_exact
    from disqualifications_ranked
    inner join weighted_totals
        on disqualifications_ranked.lead_id = weighted_totals.lead_id
        and disqualifications_ranked.scoring_moment = weighted_totals.scoring_moment
    left join total_range_adjustments
        on disqualifications_ranked.lead_id = total_range_adjustments.lead_id
        and disqualifications_ranked.scoring_moment = total_range_adjustments.scoring_moment
    where disqualifications_ranked.disqualifier_rank = 1
),

total_lines as (
    select * from total_range_adjustments
    union all
    select * from disqualification_adjustments
),

all_lines as (
    select
        lead_id,
        scoring_moment,
        score_component,
        rule_id,
        evidence_count,
        points_before_decay,
        points_after_decay,
        points_after_cap,
        component_score_exact,
        weight,
        total_score_exact
    from weighted_lines
    union all
    select
        lead_id,
        scoring_moment,
        'total' as score_component,
        rule_id,
        evidence_count,
        cast(null as double) as points_before_decay,
        cast(null as double) as points_after_decay,
        cast(null as double) as points_after_cap,
        {{ exact_score('null') }} as component_score_exact,
        cast(null as double) as weight,
        total_score_exact
    from total_lines
),

lines_in_cents as (
    select
        *,
        case when score_component <> 'total' then {{ cents_adding_up(
            'component_score_exact', 'lead_id, scoring_moment, score_component', 'rule_id') }}
        end as component_score_points,
        {{ cents_adding_up('total_score_exact', 'lead_id, scoring_moment', 'score_component, rule_id') }}
            as total_score_points
    from all_lines
),

final as (
    select
        lines_in_cents.lead_id,
        lines_in_cents.scoring_moment,
        lines_in_cents.score_component,
        lines_in_cents.rule_id,
        line_texts.category,
        line_texts.description_en,
        line_texts.label_ja,
        lines_in_cents.evidence_count,
        lines_in_cents.points_before_decay,
        lines_in_cents.points_after_decay,
        lines_in_cents.points_after_cap,
        lines_in_cents.component_score_exact,
        lines_in_cents.weight,
        lines_in_cents.total_score_exact,
        lines_in_cents.component_score_points,
        lines_in_cents.total_score_points
    from lines_in_cents
    inner join moments
        on lines_in_cents.lead_id = moments.lead_id
        and lines_in_cents.scoring_moment = moments.scoring_moment
    left join line_texts
        on lines_in_cents.score_component = line_texts.score_component
        and lines_in_cents.rule_id = line_texts.rule_id
        and {{ is_active_on('moments.as_of_date', 'line_texts') }}
)

select * from final
