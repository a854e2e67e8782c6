-- Every lead in dim_leads is scored once and has one funnel row, and the staged leads created by the
-- as-of date are all there: a join that drops or repeats leads fails the build before publishing.
{{ config(meta={'dagster': {'ref': {'name': 'fct_lead_scores'}}}) }}

with

counts as (
    select
        (
            select count(*) from {{ ref('stg_crm__leads') }}
            where created_at < {{ as_of_end_utc_literal() }}
        ) as staged_leads,
        (select count(*) from {{ ref('dim_leads') }}) as dimension_leads,
        (select count(*) from {{ ref('fct_lead_scores') }}) as scored_leads,
        (select count(distinct lead_id) from {{ ref('fct_lead_scores') }}) as distinct_scored_leads,
        (select count(*) from {{ ref('fct_lead_funnel') }}) as funnel_leads
)

select *
from counts
where dimension_leads <> staged_leads
    or scored_leads <> distinct_scored_leads
    or funnel_leads <> dimension_leads
    or scored_leads > dimension_leads
