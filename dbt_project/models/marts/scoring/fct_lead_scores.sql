with

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

components as (
    select * from {{ ref('fct_lead_score_components') }}
),

bant_latest as (
    select * from {{ ref('int_lead_bant_latest') }}
),

disqualifications as (
    select * from {{ ref('int_lead_disqualifications') }}
),

top_reasons as (
    select * from {{ ref('int_lead_top_reasons') }}
),

buying_stages as (
    select * from {{ ref('int_lead_buying_stages') }}
),

behavior_points as (
    select * from {{ ref('int_lead_behavior_rule_points') }}
),

score_bands as (
    select * from {{ ref('score_bands') }}
),

thresholds as (
    select * from {{ ref('scoring_thresholds') }}
    where {{ is_active_as_of() }}
),

component_scores as (
    select
        lead_id,
        sum(case when score_component = 'demographic' then component_score_points end) as demographic_score,
        sum(case when score_component = 'behavior' then component_score_points end) as behavior_score,
        sum(case when score_component = 'bant' then component_score_points end) as bant_score,
        sum(total_score_points) as total_score
    from components
    group by 1
),

disqualified as (
    select
        disqualifications.lead_id,
        min(disqualifications.label_ja) as disqualification_reason_ja
    from disqualifications
    group by 1
),

last_behavior as (
    select lead_id, max(last_event_at) as last_behavior_at
    from behavior_points
    group by 1
),

scores as (
    select
        leads.lead_id,
        leads.owner_user_id,
        leads.owner_name,
        leads.channel_code,
        cast(coalesce(component_scores.demographic_score, 0) as decimal(12, 2)) as demographic_score,
        cast(coalesce(component_scores.behavior_score, 0) as decimal(12, 2)) as behavior_score,
        cast(component_scores.bant_score as decimal(12, 2)) as bant_score,
        bant_latest.lead_id is not null as is_bant_assessed,
        bant_latest.assessed_at as bant_assessed_at,
        cast(coalesce(component_scores.total_score, 0) as decimal(12, 2)) as total_score,
        disqualified.lead_id is not null as is_disqualified,
        disqualified.disqualification_reason_ja,
        top_reasons.top_reason_1,
        top_reasons.top_reason_2,
        top_reasons.top_reason_3,
        buying_stages.buying_stage,
        buying_stages.buying_stage_label_ja,
        buying_stages.priority as buying_stage_priority,
        buying_stages.recommended_action_en,
        buying_stages.recommended_action_ja,
        last_behavior.last_behavior_at
    from leads
    left join component_scores on leads.lead_id = component_scores.lead_id
    left join bant_latest on leads.lead_id = bant_latest.lead_id
    left join disqualified on leads.lead_id = disqualified.lead_id
    left join top_reasons on leads.lead_id = top_reasons.lead_id
    left join buying_stages on leads.lead_id = buying_stages.lead_id
    left join last_behavior on leads.lead_id = last_behavior.lead_id
),

banded as (
    select
        scores.*,
        fit_grades.band_code as fit_grade,
        engagement_levels.band_code as engagement_level,
        total_bands.band_code as score_band,
        total_bands.label_ja as score_band_label_ja,
        mql_thresholds.value as mql_threshold
    from scores
    left join score_bands as fit_grades
        on fit_grades.band_type = 'fit_grade'
        and scores.demographic_score >= fit_grades.min_score
        and (fit_grades.max_score is null or scores.demographic_score < fit_grades.max_score)
    left join score_bands as engagement_levels
        on engagement_levels.band_type = 'engagement_level'
        and scores.behavior_score >= engagement_levels.min_score
        and (engagement_levels.max_score is null or scores.behavior_score < engagement_levels.max_score)
    left join score_bands as total_bands
        on total_bands.band_type = 'total'
        and scores.total_score >= total_bands.min_score
        and (total_bands.max_score is null or scores.total_score < total_bands.max_score)
    left join thresholds as mql_thresholds
        on mql_thresholds.setting = 'mql_threshold'
),

final as (
    select
        lead_id,
        {{ as_of_date_literal() }} as scored_as_of,
        owner_user_id,
        owner_name,
        channel_code,
        demographic_score,
        fit_grade,
        behavior_score,
        engagement_level,
        fit_grade || engagement_level as fit_engagement_cell,
        bant_score,
        case when is_bant_assessed then 'assessed' else 'not_assessed' end as bant_status,
        bant_assessed_at,
        total_score,
        score_band,
        score_band_label_ja,
        mql_threshold,
        total_score >= mql_threshold and not is_disqualified as is_mql,
        is_disqualified,
        disqualification_reason_ja,
        buying_stage,
        buying_stage_label_ja,
        buying_stage_priority,
        recommended_action_en,
        recommended_action_ja,
        top_reason_1,
        top_reason_2,
        top_reason_3,
        nullif(concat_ws(' / ', top_reason_1, top_reason_2, top_reason_3), '') as top_reasons,
        last_behavior_at
    from banded
)

select * from final
