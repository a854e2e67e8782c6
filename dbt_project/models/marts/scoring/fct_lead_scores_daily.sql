-- One row per lead per scored day. Each run adds (or replaces) the rows of its as-of date, so the
-- table keeps the history of daily runs; a past day is rebuilt with --vars '{scoring_as_of: ...}'.
-- full_refresh is off so that `dbt build --full-refresh` cannot erase that history; a column added
-- later is appended (older days have it empty).
{{
    incremental_config({
        'incremental_strategy': 'delete+insert',
        'unique_key': ['scored_as_of', 'lead_id'],
        'full_refresh': false,
        'on_schema_change': 'append_new_columns',
        'spark_partition_by': ['scored_as_of'],
    })
}}

with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

final as (
    select
        scored_as_of,
        lead_id,
        owner_user_id,
        demographic_score,
        behavior_score,
        bant_score,
        total_score,
        score_band,
        fit_engagement_cell,
        is_score_qualified,
        is_disqualified,
        buying_stage,
        top_reasons
    from scores
)

select * from final
