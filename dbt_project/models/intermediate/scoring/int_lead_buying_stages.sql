-- One row per lead x scoring moment: the buying stage from seed buying_stage_rules, the first rule
-- (by evaluation_order) whose behaviour category has at least min_events events in its window.
with

moments as (
    select * from {{ ref('int_lead_scoring_moments') }}
),

hits_aged as (
    select * from {{ ref('int_lead_behavior_hits_at_moments') }}
    where rule_kind = 'per_event'
),

stage_rules as (
    select * from {{ ref('buying_stage_rules') }}
),

category_events_in_window as (
    select
        hits_aged.lead_id,
        hits_aged.scoring_moment,
        stage_rules.evaluation_order,
        sum(hits_aged.event_count) as events_in_window
    from hits_aged
    inner join stage_rules
        on hits_aged.category = stage_rules.category
    where hits_aged.age_days < stage_rules.window_days
    group by 1, 2, 3
),

stage_matches as (
    select category_events_in_window.lead_id, category_events_in_window.scoring_moment, stage_rules.evaluation_order
    from category_events_in_window
    inner join stage_rules
        on category_events_in_window.evaluation_order = stage_rules.evaluation_order
    where category_events_in_window.events_in_window >= stage_rules.min_events
    union all
    -- A rule without a category is the default stage every lead reaches.
    select moments.lead_id, moments.scoring_moment, stage_rules.evaluation_order
    from moments
    cross join stage_rules
    where stage_rules.category is null
),

first_matches as (
    select
        *,
        row_number() over (partition by lead_id, scoring_moment order by evaluation_order) as match_rank
    from stage_matches
),

final as (
    select
        first_matches.lead_id,
        first_matches.scoring_moment,
        stage_rules.buying_stage,
        stage_rules.label_ja as buying_stage_label_ja,
        stage_rules.priority,
        stage_rules.recommended_action_en,
        stage_rules.recommended_action_ja
    from first_matches
    inner join stage_rules
        on first_matches.evaluation_order = stage_rules.evaluation_order
    where first_matches.match_rank = 1
)

select * from final
