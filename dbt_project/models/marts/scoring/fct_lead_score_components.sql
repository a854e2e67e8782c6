with

components as (
    select * from {{ ref('int_lead_score_components') }}
    where scoring_moment = 'as_of'
),

moments as (
    select * from {{ ref('int_lead_scoring_moments') }}
    where scoring_moment = 'as_of'
),

final as (
    select
        components.lead_id,
        moments.as_of_date as scored_as_of,
        components.score_component,
        components.rule_id,
        components.category,
        components.description_en,
        components.label_ja,
        components.evidence_count,
        components.points_before_decay,
        components.points_after_decay,
        components.points_after_cap,
        components.component_score_points,
        components.weight,
        components.total_score_points
    from components
    inner join moments
        on components.lead_id = moments.lead_id
)

select * from final
