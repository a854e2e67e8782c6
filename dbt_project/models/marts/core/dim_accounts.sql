with

accounts as (
    select * from {{ ref('int_accounts_as_of') }}
),

-- Leads created by the as-of date: a past as-of date shows the accounts as they were known then.
leads as (
    select * from {{ ref('stg_crm__leads') }}
    where created_at < {{ as_of_end_utc_literal() }}
),

leads_per_account as (
    select
        account_id,
        count(*) as lead_count,
        min(created_at) as first_lead_created_at
    from leads
    group by 1
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.account_name_normalized,
        accounts.industry,
        accounts.employee_count,
        accounts.annual_revenue_jpy,
        accounts.prefecture,
        accounts.website_domain,
        coalesce(leads_per_account.lead_count, 0) as lead_count,
        leads_per_account.first_lead_created_at,
        {{ known_by_as_of('accounts.last_modified_at') }} as last_modified_at
    from accounts
    left join leads_per_account
        on accounts.account_id = leads_per_account.account_id
)

select * from final
