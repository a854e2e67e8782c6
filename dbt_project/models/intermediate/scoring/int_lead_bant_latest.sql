-- One row per lead with its latest BANT assessment entered before the end of the as-of date.
with

assessments as (
    select * from {{ ref('stg_crm__bant_assessments') }}
    where assessed_at < {{ as_of_end_utc_literal() }}
),

assessments_ranked as (
    select
        *,
        row_number() over (partition by lead_id order by assessed_at desc, bant_assessment_id desc) as recency_rank
    from assessments
),

final as (
    select
        lead_id,
        bant_assessment_id,
        assessed_at,
        assessed_by_user_id,
        budget_level,
        budget_amount_jpy,
        authority_role,
        need_level,
        need_note,
        timeline
    from assessments_ranked
    where recency_rank = 1
)

select * from final
