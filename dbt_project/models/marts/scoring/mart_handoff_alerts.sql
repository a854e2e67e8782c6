-- One row per lead to alert its owner about on this run: it became score-qualified (total score at the
-- MQL threshold), or its score jumped by at least the alert_score_jump setting, since the previous
-- scored day in fct_lead_scores_daily. A lead scored for the first time alerts when it is already
-- score-qualified (so a first run alerts every one); a jump needs a previous score to jump from.
-- Whether the lead was qualified then is judged from that day's score and the threshold in force
-- that day, so the history needs no flag of its own.
with

current_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

daily_scores as (
    select * from {{ ref('fct_lead_scores_daily') }}
    where scored_as_of < {{ as_of_date_literal() }}
),

all_thresholds as (
    select * from {{ ref('scoring_thresholds') }}
),

thresholds as (
    select * from all_thresholds
    where {{ is_active_as_of() }}
),

alert_types as (
    select * from {{ ref('alert_types') }}
),

previous_scores_ranked as (
    select
        *,
        row_number() over (partition by lead_id order by scored_as_of desc) as recency_rank
    from daily_scores
),

scores_compared as (
    select
        current_scores.*,
        previous_scores_ranked.scored_as_of as previous_scored_as_of,
        previous_scores_ranked.total_score as previous_total_score,
        coalesce(
            previous_scores_ranked.total_score >= previous_thresholds.value
            and not previous_scores_ranked.is_disqualified,
            false
        ) as was_score_qualified,
        current_scores.total_score - previous_scores_ranked.total_score as score_change,
        jump_thresholds.value as alert_score_jump
    from current_scores
    left join previous_scores_ranked
        on current_scores.lead_id = previous_scores_ranked.lead_id
        and previous_scores_ranked.recency_rank = 1
    left join thresholds as jump_thresholds
        on jump_thresholds.setting = 'alert_score_jump'
    left join all_thresholds as previous_thresholds
        on previous_thresholds.setting = 'mql_threshold'
        and {{ is_active_on('previous_scores_ranked.scored_as_of', 'previous_thresholds') }}
),

alerts as (
    select
        *,
        is_score_qualified and not was_score_qualified as has_crossed_score_threshold,
        coalesce(not is_disqualified and score_change >= alert_score_jump, false) as has_score_jump
    from scores_compared
),

final as (
    select
        alerts.lead_id,
        alerts.scored_as_of,
        alerts.previous_scored_as_of,
        alerts.owner_user_id,
        alerts.owner_name,
        alerts.has_crossed_score_threshold,
        alerts.has_score_jump,
        case when alerts.has_crossed_score_threshold then crossed.label_ja else jumped.label_ja end as alert_label_ja,
        alerts.previous_total_score,
        alerts.total_score,
        alerts.score_change,
        alerts.score_band,
        alerts.buying_stage_label_ja,
        alerts.recommended_action_ja,
        alerts.top_reasons
    from alerts
    left join alert_types as crossed on crossed.alert_type = 'crossed_score_threshold'
    left join alert_types as jumped on jumped.alert_type = 'score_jump'
    where alerts.has_crossed_score_threshold or alerts.has_score_jump
)

select * from final
