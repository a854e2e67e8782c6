-- One row per lead: what its scores are computed from, summed up so that a run can tell whose evidence
-- changed since its past moments were scored (int_lead_moments_to_score): the newest load time and the
-- number of rows over its CRM record, status changes, BANT assessments, opportunities, its account's
-- versions and its behaviour rule hits. A new or re-exported record carries a later load time; a
-- deleted one lowers the count. Rows without a load time (written into raw by hand, not by the
-- loader) are counted apart: a lead with any is scored again on every run.
with

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
),

lead_records as (
    select * from {{ ref('stg_crm__leads') }}
),

status_changes as (
    select * from {{ ref('stg_crm__lead_status_history') }}
),

bant_assessments as (
    select * from {{ ref('stg_crm__bant_assessments') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

account_versions as (
    select * from {{ ref('stg_crm__account_versions') }}
),

behavior_hits as (
    select * from {{ ref('int_behavior_rule_hits_daily') }}
),

evidence as (
    select lead_id, loaded_at from lead_records
    union all
    select lead_id, loaded_at from status_changes
    union all
    select lead_id, loaded_at from bant_assessments
    union all
    select lead_id, loaded_at from opportunities
    union all
    select lead_id, loaded_at from behavior_hits
    union all
    select leads.lead_id, account_versions.loaded_at
    from leads
    inner join account_versions
        on leads.account_id = account_versions.account_id
),

final as (
    select
        lead_id,
        max(loaded_at) as evidence_loaded_at,
        count(*) as evidence_rows,
        count(*) - count(loaded_at) as evidence_rows_without_load_time
    from evidence
    where lead_id is not null
    group by 1
)

select * from final
