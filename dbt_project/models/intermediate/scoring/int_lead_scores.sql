-- One row per lead x scoring moment: component and total scores from the score lines, grades and
-- bands (seed score_bands), the MQL flag (seed scoring_thresholds), buying stage and top reasons.
-- Keeps every moment; a run replaces the moments it scores (int_lead_moments_to_score) and records
-- what they were scored from, which the next run compares.
-- depends_on: {{ ref('int_lead_scoring_moments') }}
{{ every_moment_config() }}
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

components as (
    select * from {{ ref('int_lead_score_components') }}
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

unknown_attributes as (
    select * from {{ ref('int_lead_unknown_attributes') }}
),

buying_stages as (
    select * from {{ ref('int_lead_buying_stages') }}
),

signatures as (
    select * from {{ ref('int_lead_evidence_signatures') }}
),

score_bands as (
    select * from {{ ref('score_bands') }}
),

recommended_actions as (
    select * from {{ ref('recommended_actions') }}
),

thresholds as (
    select * from {{ ref('scoring_thresholds') }}
    where setting = 'mql_threshold'
),

component_scores as (
    select
        lead_id,
        scoring_moment,
        sum(case when score_component = 'demographic' then component_score_points end) as demographic_score,
        sum(case when score_component = 'behavior' then component_score_points end) as behavior_score,
        sum(case when score_component = 'bant' then component_score_points end) as bant_score,
        sum(total_score_points) as total_score
    from components
    group by 1, 2
),

-- Of several disqualifiers, the one the component line names (the first by rule_id), so that the
-- reason and the explanation agree.
disqualifications_ranked as (
    select
        lead_id,
        scoring_moment,
        label_ja,
        row_number() over (partition by lead_id, scoring_moment order by rule_id) as disqualifier_rank
    from disqualifications
),

disqualified as (
    select lead_id, scoring_moment, label_ja as disqualification_reason_ja
    from disqualifications_ranked
    where disqualifier_rank = 1
),

scores as (
    select
        moments.lead_id,
        moments.scoring_moment,
        moments.as_of_date,
        cast(coalesce(component_scores.demographic_score, 0) as decimal(12, 2)) as demographic_score,
        cast(coalesce(component_scores.behavior_score, 0) as decimal(12, 2)) as behavior_score,
        cast(component_scores.bant_score as decimal(12, 2)) as bant_score,
        bant_latest.assessed_at as bant_assessed_at,
        cast(coalesce(component_scores.total_score, 0) as decimal(12, 2)) as total_score,
        disqualified.lead_id is not null as is_disqualified,
        disqualified.disqualification_reason_ja
    from moments
    {%- for relation in ['component_scores', 'bant_latest', 'disqualified'] %}
    left join {{ relation }}
        on moments.lead_id = {{ relation }}.lead_id and moments.scoring_moment = {{ relation }}.scoring_moment
    {%- endfor %}
),

unknown_attribute_labels as (
    select distinct lead_id, scoring_moment, label_ja
    from unknown_attributes
),

-- "不明: 従業員数、業種": what the score could not judge, next to the reasons it gives.
unknown_attributes_listed as (
    select
        lead_id,
        scoring_moment,
        concat('不明: ', {{ ordered_listagg('label_ja', "'、'", ['label_ja']) }}) as unknown_attributes_ja
    from unknown_attribute_labels
    group by 1, 2
),

scored as (
    select
        scores.lead_id,
        scores.scoring_moment,
        scores.as_of_date,
        scores.demographic_score,
        fit_grades.band_code as fit_grade,
        scores.behavior_score,
        engagement_levels.band_code as engagement_level,
        fit_grades.band_code || engagement_levels.band_code as fit_engagement_cell,
        scores.bant_score,
        case when scores.bant_assessed_at is null then 'not_assessed' else 'assessed' end as bant_status,
        scores.bant_assessed_at,
        scores.total_score,
        total_bands.band_code as score_band,
        total_bands.label_ja as score_band_label_ja,
        thresholds.value as mql_threshold,
        scores.total_score >= thresholds.value and not scores.is_disqualified as is_mql,
        scores.is_disqualified,
        scores.disqualification_reason_ja,
        -- A disqualified lead is in no buying stage: there is nothing to sell it.
        case when not scores.is_disqualified then buying_stages.buying_stage end as buying_stage,
        case when not scores.is_disqualified then buying_stages.buying_stage_label_ja end as buying_stage_label_ja,
        case when not scores.is_disqualified then buying_stages.priority end as buying_stage_priority,
        case when scores.is_disqualified then 'disqualified' else buying_stages.buying_stage end as action_key,
        top_reasons.top_reason_1,
        top_reasons.top_reason_2,
        top_reasons.top_reason_3,
        nullif(concat_ws(' / ', top_reasons.top_reason_1, top_reasons.top_reason_2, top_reasons.top_reason_3), '')
            as top_reasons,
        unknown_attributes_listed.unknown_attributes_ja
    from scores
    {%- for alias, band_type, column in [
        ('fit_grades', 'fit_grade', 'demographic_score'),
        ('engagement_levels', 'engagement_level', 'behavior_score'),
        ('total_bands', 'total', 'total_score'),
    ] %}
    left join score_bands as {{ alias }}
        on {{ alias }}.band_type = '{{ band_type }}'
        and scores.{{ column }} >= {{ alias }}.min_score
        and ({{ alias }}.max_score is null or scores.{{ column }} < {{ alias }}.max_score)
    {%- endfor %}
    left join thresholds
        on {{ is_active_on('scores.as_of_date', 'thresholds') }}
    left join buying_stages
        on scores.lead_id = buying_stages.lead_id and scores.scoring_moment = buying_stages.scoring_moment
    left join top_reasons
        on scores.lead_id = top_reasons.lead_id and scores.scoring_moment = top_reasons.scoring_moment
    left join unknown_attributes_listed
        on scores.lead_id = unknown_attributes_listed.lead_id
        and scores.scoring_moment = unknown_attributes_listed.scoring_moment
),

-- The action for the stage and band: a row for the lead's band wins over the stage's row for any band.
actions_matched as (
    select
        scored.lead_id,
        scored.scoring_moment,
        recommended_actions.recommended_action_en,
        recommended_actions.recommended_action_ja,
        row_number() over (
            partition by scored.lead_id, scored.scoring_moment
            order by case when recommended_actions.score_band is null then 1 else 0 end
        ) as action_rank
    from scored
    inner join recommended_actions
        on scored.action_key = recommended_actions.buying_stage
        and (recommended_actions.score_band is null or recommended_actions.score_band = scored.score_band)
),

final as (
    select
        scored.lead_id,
        scored.scoring_moment,
        scored.as_of_date,
        scored.demographic_score,
        scored.fit_grade,
        scored.behavior_score,
        scored.engagement_level,
        scored.fit_engagement_cell,
        scored.bant_score,
        scored.bant_status,
        scored.bant_assessed_at,
        scored.total_score,
        scored.score_band,
        scored.score_band_label_ja,
        scored.mql_threshold,
        scored.is_mql,
        scored.is_disqualified,
        scored.disqualification_reason_ja,
        scored.buying_stage,
        scored.buying_stage_label_ja,
        scored.buying_stage_priority,
        actions_matched.recommended_action_en,
        actions_matched.recommended_action_ja,
        scored.top_reason_1,
        scored.top_reason_2,
        scored.top_reason_3,
        scored.top_reasons,
        scored.unknown_attributes_ja,
        '{{ build_inputs_fingerprint() }}' as scoring_fingerprint,
        signatures.evidence_loaded_at,
        signatures.evidence_rows
    from scored
    left join actions_matched
        on scored.lead_id = actions_matched.lead_id
        and scored.scoring_moment = actions_matched.scoring_moment
        and actions_matched.action_rank = 1
    left join signatures
        on scored.lead_id = signatures.lead_id
)

select * from final
