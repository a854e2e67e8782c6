-- One row per account: its newest version.
with

versions as (
    select * from {{ ref('stg_crm__account_versions') }}
),

final as (
    select
        account_id,
        account_name,
        account_name_normalized,
        industry,
        employee_count,
        annual_revenue_jpy,
        prefecture,
        prefecture_as_exported,
        website_domain,
        {%- for attribute in var('custom_account_attributes') %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
        last_modified_at,
        loaded_at,
        source_line_number
    from versions
    where is_latest_version
)

select * from final
