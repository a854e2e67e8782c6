with

components as (
    select * from {{ ref('int_lead_score_components') }}
),

labels as (
    select * from {{ ref('int_scoring_rule_labels') }}
),

final as (
    select
        components.lead_id,
        {{ as_of_date_literal() }} as scored_as_of,
        components.score_component,
        components.rule_id,
        labels.rule_table,
        components.category,
        labels.description_en,
        labels.label_ja,
        components.evidence_count,
        components.points_before_decay,
        components.points_after_decay,
        components.points_after_cap,
        components.component_score_points,
        components.weight,
        components.total_score_points
    from components
    left join labels
        on components.rule_id = labels.rule_id
)

select * from final
