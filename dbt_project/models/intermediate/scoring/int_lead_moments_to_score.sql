-- The moments this run scores (a subset of int_lead_scoring_moments, same columns): every lead as of
-- today — decay moves every day — and a past moment (first_mql, decision) only when it is new, its
-- date moved, the lead's evidence changed (int_lead_evidence_signatures), or the scoring inputs
-- changed (macro build_inputs_fingerprint: seeds, model and macro code, vars). Everything on the
-- first build and on --full-refresh. The previous run's scores are read from int_lead_scores by name,
-- not ref: that table is built from this one.
-- depends_on: {{ ref('int_lead_evidence_signatures') }}
{%- set held_scores = held_scores_relation() %}

with

moments as (
    select * from {{ ref('int_lead_scoring_moments') }}
),

{%- if held_scores is not none %}

signatures as (
    select * from {{ ref('int_lead_evidence_signatures') }}
),

held_scores as (
    select lead_id, scoring_moment, as_of_date, scoring_fingerprint, evidence_loaded_at, evidence_rows
    from {{ held_scores }}
),

moments_changed as (
    select moments.*
    from moments
    left join signatures
        on moments.lead_id = signatures.lead_id
    left join held_scores
        on moments.lead_id = held_scores.lead_id
        and moments.scoring_moment = held_scores.scoring_moment
    where moments.scoring_moment = 'as_of'
        or held_scores.lead_id is null
        or held_scores.as_of_date <> moments.as_of_date
        or held_scores.scoring_fingerprint <> '{{ build_inputs_fingerprint() }}'
        or held_scores.evidence_loaded_at is distinct from signatures.evidence_loaded_at
        or held_scores.evidence_rows is distinct from signatures.evidence_rows
        or signatures.evidence_rows_without_load_time > 0
),

final as (
    select * from moments_changed
)
{%- else %}

final as (
    select * from moments
)
{%- endif %}

select * from final
