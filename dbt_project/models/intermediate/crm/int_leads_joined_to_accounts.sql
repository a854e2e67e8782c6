with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

accounts as (
    select * from {{ ref('int_accounts_as_of') }}
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

lead_source_channels as (
    select * from {{ ref('lead_source_channels') }}
),

leads_joined_to_accounts as (
    select
        leads.lead_id,
        leads.person_key,
        leads.account_id,
        accounts.account_name,
        accounts.account_name_normalized,
        accounts.industry,
        accounts.employee_count,
        accounts.annual_revenue_jpy,
        accounts.prefecture,
        accounts.website_domain,
        leads.job_title,
        leads.department,
        leads.email_domain,
        leads.email_domain = accounts.website_domain as is_email_on_company_domain,
        leads.lead_source,
        -- One label for a lead source the channel seed does not list (or none), in every mart.
        {{ mapped_channel('lead_source_channels') }} as channel_code,
        leads.is_do_not_contact,
        leads.is_email_opted_out,
        leads.owner_user_id,
        users.user_name as owner_name,
        users.team as owner_team,
        leads.created_at,
        {{ japan_date('leads.created_at') }} as created_date,
        leads.last_modified_at
    from leads
    left join accounts
        on leads.account_id = accounts.account_id
    left join users
        on leads.owner_user_id = users.user_id
    left join lead_source_channels
        on leads.lead_source = lead_source_channels.lead_source
)

select * from leads_joined_to_accounts
