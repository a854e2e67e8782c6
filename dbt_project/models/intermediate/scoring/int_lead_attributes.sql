-- One row per lead x scoring moment x attribute: the facts demographic and disqualifier rules test.
-- Built-in attributes come first, then every custom CRM column named in the vars
-- custom_lead_attributes / custom_account_attributes. The CRM status is the one at the moment, and
-- so is the account (the version of stg_crm__account_versions in force then). Keeps every moment; a
-- run replaces the moments it scores (int_lead_moments_to_score).
-- depends_on: {{ ref('int_lead_scoring_moments') }}
{{ every_moment_config() }}
{%- set text_attributes = [
    'industry', 'industry_group', 'prefecture', 'region', 'job_title', 'job_seniority', 'department',
    'email_domain', 'email_type', 'lead_source', 'channel_code', 'is_do_not_contact', 'is_email_opted_out',
    'crm_status',
] -%}
{%- set number_attributes = ['employee_count', 'annual_revenue_jpy'] -%}
{%- set custom_attributes = var('custom_lead_attributes') + var('custom_account_attributes') %}

with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

leads as (
    select * from {{ ref('int_leads_joined_to_accounts') }}
),

lead_custom_values as (
    select * from {{ ref('stg_crm__leads') }}
),

account_versions as (
    select * from {{ ref('stg_crm__account_versions') }}
),

status_history as (
    select * from {{ ref('stg_crm__lead_status_history') }}
),

industry_groups as (
    select * from {{ ref('industry_groups') }}
),

prefecture_regions as (
    select * from {{ ref('prefecture_regions') }}
),

job_title_seniority as (
    select * from {{ ref('job_title_seniority') }}
),

email_domains as (
    select * from {{ ref('email_domains') }}
),

statuses_at_moments as (
    select
        moments.lead_id,
        moments.scoring_moment,
        status_history.status,
        row_number() over (
            partition by moments.lead_id, moments.scoring_moment
            order by status_history.changed_at desc, status_history.status_change_id
        ) as status_rank
    from moments
    inner join status_history
        on moments.lead_id = status_history.lead_id
        and status_history.changed_at < moments.as_of_end_at
),

-- The account as it was at each moment: the latest version changed before it, or the earliest known.
accounts_at_moments as (
    select
        moments.lead_id,
        moments.scoring_moment,
        account_versions.*,
        row_number() over (
            partition by moments.lead_id, moments.scoring_moment
            order by account_versions.version_number desc
        ) as recency_rank
    from moments
    inner join leads
        on moments.lead_id = leads.lead_id
    inner join account_versions
        on leads.account_id = account_versions.account_id
        and (account_versions.valid_from_at is null or account_versions.valid_from_at < moments.as_of_end_at)
),

seniority_matches as (
    select
        leads.lead_id,
        job_title_seniority.job_seniority,
        row_number() over (
            partition by leads.lead_id order by job_title_seniority.evaluation_order
        ) as match_rank
    from leads
    inner join job_title_seniority
        on position(job_title_seniority.title_contains in leads.job_title) > 0
),

leads_classified as (
    select
        moments.scoring_moment,
        moments.as_of_date,
        moments.lead_id,
        accounts_at_moments.industry,
        accounts_at_moments.employee_count,
        accounts_at_moments.annual_revenue_jpy,
        accounts_at_moments.prefecture,
        leads.job_title,
        leads.department,
        leads.email_domain,
        leads.lead_source,
        leads.channel_code,
        leads.is_do_not_contact,
        leads.is_email_opted_out,
        {%- for attribute in var('custom_lead_attributes') %}
        lead_custom_values.{{ adapter.quote(attribute) }},
        {%- endfor %}
        {%- for attribute in var('custom_account_attributes') %}
        accounts_at_moments.{{ adapter.quote(attribute) }},
        {%- endfor %}
        -- Missing is not a value: no industry, job title or e-mail domain is NULL (unknown), which no
        -- rule matches; a value the mapping seeds do not list is the seed's catch-all ('unmapped' for
        -- a job title no title_contains row finds).
        case when accounts_at_moments.industry is not null then coalesce(industry_groups.industry_group, 'other') end
            as industry_group,
        prefecture_regions.region,
        case when leads.job_title is not null then coalesce(seniority_matches.job_seniority, 'unmapped') end
            as job_seniority,
        case when leads.email_domain is not null then coalesce(email_domains.email_type, 'business') end
            as email_type,
        coalesce(statuses_at_moments.status, 'new') as crm_status
    from moments
    inner join leads
        on moments.lead_id = leads.lead_id
    left join lead_custom_values
        on moments.lead_id = lead_custom_values.lead_id
    left join accounts_at_moments
        on moments.lead_id = accounts_at_moments.lead_id
        and moments.scoring_moment = accounts_at_moments.scoring_moment
        and accounts_at_moments.recency_rank = 1
    left join industry_groups
        on accounts_at_moments.industry = industry_groups.industry
    left join prefecture_regions
        on accounts_at_moments.prefecture = prefecture_regions.prefecture
    left join seniority_matches
        on leads.lead_id = seniority_matches.lead_id and seniority_matches.match_rank = 1
    left join email_domains
        on leads.email_domain = email_domains.email_domain
    left join statuses_at_moments
        on moments.lead_id = statuses_at_moments.lead_id
        and moments.scoring_moment = statuses_at_moments.scoring_moment
        and statuses_at_moments.status_rank = 1
),

{%- set string_type = api.Column.translate_type('string') %}

attributes_unpivoted as (
    {%- set all_attributes = text_attributes + number_attributes + custom_attributes %}
    {%- for attribute in all_attributes %}
    select
        lead_id,
        scoring_moment,
        as_of_date,
        '{{ attribute }}' as attribute,
        cast({{ adapter.quote(attribute) }} as {{ string_type }}) as value_text,
        {%- if attribute in number_attributes %}
        cast({{ attribute }} as double) as value_number
        {%- elif attribute in custom_attributes %}
        {{ try_cast_as(adapter.quote(attribute), 'double') }} as value_number
        {%- else %}
        cast(null as double) as value_number
        {%- endif %}
    from leads_classified
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select * from attributes_unpivoted
    where value_text is not null
)

select * from final
