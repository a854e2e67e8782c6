-- What-if scoring: the scores of every lead at the decision and as-of moments under each
-- configuration of config_rules / config_weights / config_thresholds (registered by rescoring.py).
-- The arithmetic is the dbt scoring path's, line by line, exact to 12 decimals and rounded once
-- (int_lead_behavior_rule_points, int_lead_component_rule_scores, int_lead_weighted_score_lines,
-- int_lead_score_components), applied to the points-free evidence of int_lead_rule_evidence; a test
-- checks that the current configuration reproduces int_lead_scores to the cent.
with

moments as (
    select * from intermediate.int_lead_evaluation_moments
),

evidence as (
    select * from intermediate.int_lead_rule_evidence
    where score_component <> 'demographic'
),

attributes as (
    select * from intermediate.int_lead_attributes
    where scoring_moment in ('decision', 'as_of')
),

category_caps as (
    select * from seeds.behavior_category_caps
),

range_adjustments as (
    select * from seeds.score_adjustments where adjustment_kind = 'range'
),

-- Demographic rules of each configuration matched against the attributes, as dbt's
-- int_lead_demographic_rule_hits does (macro attribute_rule_matches): a configuration may bring new
-- rules (the fitted scorecard), whose evidence no dbt model holds.
demographic_points as (
    select
        rules.config_id,
        attributes.lead_id,
        attributes.scoring_moment,
        'demographic' as score_component,
        rules.category,
        cast(rules.points as double) as points_after_decay
    from attributes
    inner join config_rules as rules
        on rules.score_component = 'demographic'
        and attributes.attribute = rules.attribute
        and (rules.valid_from is null or rules.valid_from <= attributes.as_of_date)
        and (rules.valid_to is null or rules.valid_to > attributes.as_of_date)
    where (rules.operator = 'equals' and lower(attributes.value_text) = lower(rules.value_text))
        or (rules.operator = 'in'
            and position('|' || lower(attributes.value_text) || '|' in '|' || lower(rules.value_text) || '|') > 0)
        or (rules.operator = 'between'
            and attributes.value_number is not null
            and (rules.value_min is null or attributes.value_number >= rules.value_min)
            and (rules.value_max is null or attributes.value_number < rules.value_max))
),

event_and_bant_points as (
    select
        rules.config_id,
        evidence.lead_id,
        evidence.scoring_moment,
        evidence.score_component,
        rules.category,
        case
            when rules.rule_kind = 'per_event' and (rules.points > 0 or evidence.unexpired_evidence is null)
                then rules.points * evidence.decayed_evidence
            when rules.rule_kind = 'per_event' then cast(rules.points * evidence.unexpired_evidence as double)
            else cast(rules.points as double)
        end as points_after_decay
    from evidence
    inner join moments
        on evidence.lead_id = moments.lead_id and evidence.scoring_moment = moments.scoring_moment
    inner join config_rules as rules
        on evidence.rule_id = rules.rule_id
        and evidence.score_component = rules.score_component
        and (rules.valid_from is null or rules.valid_from <= moments.as_of_date)
        and (rules.valid_to is null or rules.valid_to > moments.as_of_date)
),

rule_points as (
    select * from event_and_bant_points
    union all
    select * from demographic_points
),

-- Summed exactly as decimals, as dbt does (macro exact_sum): the same to the last bit on every run.
behavior_category_sums as (
    select
        rule_points.config_id,
        rule_points.lead_id,
        rule_points.scoring_moment,
        rule_points.category,
        cast(sum(cast(rule_points.points_after_decay as decimal(38, 10))) as double) as category_points,
        max(category_caps.max_points) as max_points,
        max(category_caps.min_points) as min_points
    from rule_points
    left join category_caps
        on rule_points.category = category_caps.category
    where rule_points.score_component = 'behavior'
    group by 1, 2, 3, 4
),

behavior_category_scale as (
    select
        config_id,
        lead_id,
        scoring_moment,
        category,
        case
            when category_points > max_points then max_points / category_points
            when category_points < min_points then min_points / category_points
            else 1.0
        end as cap_factor
    from behavior_category_sums
),

scoring_dates as (
    select distinct as_of_date from moments
),

best_per_category as (
    select rules.config_id, scoring_dates.as_of_date, rules.score_component, rules.category,
        max(rules.points) as best_points
    from scoring_dates
    inner join config_rules as rules
        on rules.score_component in ('demographic', 'bant')
        and (rules.valid_from is null or rules.valid_from <= scoring_dates.as_of_date)
        and (rules.valid_to is null or rules.valid_to > scoring_dates.as_of_date)
    group by 1, 2, 3, 4
    having max(rules.points) > 0
),

full_scales as (
    select config_id, as_of_date, score_component, sum(best_points) as full_points
    from best_per_category
    group by 1, 2, 3
),

rule_lines as (
    select
        rule_points.config_id,
        rule_points.lead_id,
        rule_points.scoring_moment,
        rule_points.score_component,
        cast(
            case
                when rule_points.score_component = 'behavior'
                    then rule_points.points_after_decay * behavior_category_scale.cap_factor * 100.0
                        / moments.behavior_full_points
                else rule_points.points_after_decay * 100.0 / full_scales.full_points
            end as decimal(38, 12)) as line_points
    from rule_points
    inner join moments
        on rule_points.lead_id = moments.lead_id and rule_points.scoring_moment = moments.scoring_moment
    left join behavior_category_scale
        on rule_points.config_id = behavior_category_scale.config_id
        and rule_points.lead_id = behavior_category_scale.lead_id
        and rule_points.scoring_moment = behavior_category_scale.scoring_moment
        and rule_points.category = behavior_category_scale.category
    left join full_scales
        on rule_points.config_id = full_scales.config_id
        and moments.as_of_date = full_scales.as_of_date
        and rule_points.score_component = full_scales.score_component
),

component_sums as (
    select config_id, lead_id, scoring_moment, score_component, sum(line_points) as raw_score
    from rule_lines
    group by 1, 2, 3, 4
),

component_lines as (
    select config_id, lead_id, scoring_moment, score_component, line_points from rule_lines
    union all
    select
        component_sums.config_id,
        component_sums.lead_id,
        component_sums.scoring_moment,
        component_sums.score_component,
        cast(least(greatest(component_sums.raw_score, 0), 100) - component_sums.raw_score as decimal(38, 12))
            as line_points
    from component_sums
    inner join range_adjustments
        on component_sums.score_component = range_adjustments.score_component
    where component_sums.raw_score < 0 or component_sums.raw_score > 100
),

weighted_lines as (
    select
        component_lines.*,
        cast(component_lines.line_points * cast(weights.weight as decimal(9, 6)) as decimal(38, 12)) as total_points
    from component_lines
    inner join moments
        on component_lines.lead_id = moments.lead_id and component_lines.scoring_moment = moments.scoring_moment
    inner join config_weights as weights
        on component_lines.config_id = weights.config_id
        and component_lines.score_component = weights.score_component
        and weights.weight_set = case when moments.is_bant_assessed then 'bant_assessed' else 'bant_not_assessed' end
        and (weights.valid_from is null or weights.valid_from <= moments.as_of_date)
        and (weights.valid_to is null or weights.valid_to > moments.as_of_date)
),

lead_sums as (
    select
        config_id,
        lead_id,
        scoring_moment,
        sum(case when score_component = 'demographic' then line_points end) as demographic_score,
        sum(case when score_component = 'behavior' then line_points end) as behavior_score,
        sum(case when score_component = 'bant' then line_points end) as bant_score,
        sum(total_points) as raw_total
    from weighted_lines
    group by 1, 2, 3
),

configs as (
    select distinct config_id from config_weights
),

scores as (
    select
        configs.config_id,
        moments.lead_id,
        moments.scoring_moment,
        moments.as_of_date,
        cast(round(coalesce(lead_sums.demographic_score, 0), 2) as decimal(12, 2)) as demographic_score,
        cast(round(coalesce(lead_sums.behavior_score, 0), 2) as decimal(12, 2)) as behavior_score,
        cast(round(lead_sums.bant_score, 2) as decimal(12, 2)) as bant_score,
        cast(
            case
                when moments.is_disqualified then 0
                else round(least(greatest(coalesce(lead_sums.raw_total, 0), 0), 100), 2)
            end as decimal(12, 2)
        ) as total_score,
        moments.is_disqualified
    from configs
    cross join moments
    left join lead_sums
        on configs.config_id = lead_sums.config_id
        and moments.lead_id = lead_sums.lead_id
        and moments.scoring_moment = lead_sums.scoring_moment
)

select
    scores.*,
    thresholds.value as mql_threshold,
    scores.total_score >= thresholds.value and not scores.is_disqualified as is_mql
from scores
left join config_thresholds as thresholds
    on scores.config_id = thresholds.config_id
    and (thresholds.valid_from is null or thresholds.valid_from <= scores.as_of_date)
    and (thresholds.valid_to is null or thresholds.valid_to > scores.as_of_date)
order by scores.config_id, scores.lead_id, scores.scoring_moment
