-- One row per lead x scoring moment with the latest BANT assessment entered before the moment's end.
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

assessments as (
    select * from {{ ref('stg_crm__bant_assessments') }}
),

assessments_ranked as (
    select
        moments.scoring_moment,
        moments.as_of_date,
        assessments.*,
        row_number() over (
            partition by moments.lead_id, moments.scoring_moment
            order by assessments.assessed_at desc, assessments.bant_assessment_id desc
        ) as recency_rank
    from moments
    inner join assessments
        on moments.lead_id = assessments.lead_id
        and assessments.assessed_at < moments.as_of_end_at
),

final as (
    select
        lead_id,
        scoring_moment,
        as_of_date,
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
