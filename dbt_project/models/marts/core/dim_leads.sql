-- One row per lead created by the as-of date (var scoring_as_of), without personal data: the person
-- is represented by person_key, a salted hash of the email address (the same person under two lead
-- ids has one key). The attributes are the CRM's latest; a change after the as-of date is not dated.
with

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

final as (
    select
        lead_id,
        person_key,
        account_id,
        account_name,
        industry,
        employee_count,
        annual_revenue_jpy,
        prefecture,
        job_title,
        department,
        email_domain,
        is_email_on_company_domain,
        lead_source,
        channel_code,
        is_do_not_contact,
        is_email_opted_out,
        owner_user_id,
        owner_name,
        owner_team,
        created_at,
        created_date,
        {{ known_by_as_of('last_modified_at') }} as last_modified_at
    from leads
)

select * from final
