-- One row per lead x scoring moment x rule that fired, with its contribution on its component's
-- 0-100 scale (rules in force on the moment's date):
--   demographic: points x 100 / (sum over categories of the category's best points)   [145 by default]
--   behaviour:   points after decay and caps x 100 / var behavior_full_score_points   [100 by default]
--   BANT:        points x 100 / (sum over dimensions of the dimension's best points)  [100 by default]
-- Contributions stay exact (12 decimals) until int_lead_score_components rounds the scores once.
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

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
),

bant_rules as (
    select * from {{ ref('bant_rules') }}
),

scoring_dates as (
    select distinct as_of_date from moments
),

demographic_best_per_category as (
    select scoring_dates.as_of_date, rules.category, max(rules.points) as best_points
    from scoring_dates
    inner join demographic_rules as rules
        on {{ is_active_on('scoring_dates.as_of_date') }}
    group by 1, 2
    having max(rules.points) > 0
),

bant_best_per_dimension as (
    select scoring_dates.as_of_date, rules.dimension, max(rules.points) as best_points
    from scoring_dates
    inner join bant_rules as rules
        on {{ is_active_on('scoring_dates.as_of_date') }}
    group by 1, 2
    having max(rules.points) > 0
),

moment_full_scales as (
    select
        moments.lead_id,
        moments.scoring_moment,
        demographic_scales.full_points as demographic_full_points,
        bant_scales.full_points as bant_full_points,
        cast({{ var('behavior_full_score_points') }} as double) as behavior_full_points
    from moments
    left join (
        select as_of_date, sum(best_points) as full_points from demographic_best_per_category group by 1
    ) as demographic_scales
        on moments.as_of_date = demographic_scales.as_of_date
    left join (
        select as_of_date, sum(best_points) as full_points from bant_best_per_dimension group by 1
    ) as bant_scales
        on moments.as_of_date = bant_scales.as_of_date
),

{%- set components = [
    ('demographic', 'demographic_hits', 'demographic_full_points'),
    ('behavior', 'behavior_points', 'behavior_full_points'),
    ('bant', 'bant_hits', 'bant_full_points'),
] %}

rule_scores as (
    {%- for component, hits, full_points in components %}
    select
        {{ hits }}.lead_id,
        {{ hits }}.scoring_moment,
        '{{ component }}' as score_component,
        {{ hits }}.rule_id,
        {{ hits }}.category,
        {%- if component == 'behavior' %}
        {{ hits }}.evidence_count,
        {{ hits }}.points_before_decay,
        {{ hits }}.points_after_decay,
        {{ hits }}.points_after_cap,
        {%- else %}
        1 as evidence_count,
        cast({{ hits }}.points as double) as points_before_decay,
        cast({{ hits }}.points as double) as points_after_decay,
        cast({{ hits }}.points as double) as points_after_cap,
        {%- endif %}
        {{ exact_score(hits ~ '.' ~ ('points_after_cap' if component == 'behavior' else 'points')
                       ~ ' * 100.0 / moment_full_scales.' ~ full_points) }} as component_score_exact
    from {{ hits }}
    inner join moment_full_scales
        on {{ hits }}.lead_id = moment_full_scales.lead_id
        and {{ hits }}.scoring_moment = moment_full_scales.scoring_moment
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from rule_scores
