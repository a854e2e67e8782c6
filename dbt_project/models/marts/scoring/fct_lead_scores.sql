with

scores as (
    select * from {{ ref('int_lead_scores') }}
    where scoring_moment = 'as_of'
),

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
),

behavior_points as (
    select * from {{ ref('int_lead_behavior_rule_points') }}
    where scoring_moment = 'as_of'
),

last_behavior as (
    select lead_id, max(last_event_at) as last_behavior_at
    from behavior_points
    group by 1
),

final as (
    select
        scores.lead_id,
        scores.as_of_date as scored_as_of,
        leads.owner_user_id,
        leads.owner_name,
        leads.channel_code,
        scores.demographic_score,
        scores.fit_grade,
        scores.behavior_score,
        scores.engagement_level,
        scores.fit_engagement_cell,
        scores.bant_score,
        scores.bant_status,
        scores.bant_assessed_at,
        scores.total_score,
        scores.score_band,
        scores.score_band_label_ja,
        scores.mql_threshold,
        scores.is_mql as is_score_qualified,
        scores.is_disqualified,
        scores.disqualification_reason_ja,
        scores.buying_stage,
        scores.buying_stage_label_ja,
        scores.buying_stage_priority,
        scores.recommended_action_en,
        scores.recommended_action_ja,
        scores.top_reason_1,
        scores.top_reason_2,
        scores.top_reason_3,
        scores.top_reasons,
        scores.unknown_attributes_ja,
        last_behavior.last_behavior_at
    from scores
    inner join leads
        on scores.lead_id = leads.lead_id
    left join last_behavior
        on scores.lead_id = last_behavior.lead_id
)

select * from final
