-- One row per BANT assessment with a note: what sales learned about the need, kept as text next to
-- the outcome and the score at handoff, so new qualifying factors found in deals can be read and
-- turned into rules.
with

assessments as (
    select * from {{ ref('stg_crm__bant_assessments') }}
    where need_note is not null and assessed_at < {{ as_of_end_utc_literal() }}
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

final as (
    select
        assessments.bant_assessment_id,
        assessments.lead_id,
        assessments.assessed_at,
        assessments.assessed_by_user_id,
        assessments.budget_level,
        assessments.authority_role,
        assessments.need_level,
        assessments.timeline,
        assessments.need_note,
        funnel.score_at_first_mql,
        funnel.score_band_at_first_mql,
        case
            when funnel.is_won then 'won'
            when funnel.is_lost then 'lost'
            when funnel.is_disqualified then 'disqualified'
            else 'open'
        end as outcome,
        funnel.lost_reason
    from assessments
    inner join funnel
        on assessments.lead_id = funnel.lead_id
)

select * from final
