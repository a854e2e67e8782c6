with

source as (
    select * from {{ source('crm', 'accounts') }}
),

renamed as (
    select
        {{ clean_text('account_id') }} as account_id,
        normalize_text(account_name) as account_name,
        normalize_company_name(account_name) as account_name_normalized,
        normalize_text(industry) as industry,
        parse_japanese_number(employees) as employee_count,
        parse_japanese_number(annual_revenue) as annual_revenue_jpy,
        normalize_prefecture(prefecture) as prefecture,
        {{ clean_text('prefecture') }} as prefecture_as_exported,
        lower({{ url_host(clean_text('website')) }}) as website_domain,
        {%- for attribute in var('custom_account_attributes') %}
        normalize_text({{ adapter.quote(attribute) }}) as {{ adapter.quote(attribute) }},
        {%- endfor %}
        {{ export_timestamp_to_utc('last_modified_date') }} as last_modified_at,
        _loaded_at as loaded_at,
        _line_number as source_line_number
    from source
),

versions_ranked as (
    {{ rank_versions('renamed', 'account_id', 'last_modified_at desc nulls last, loaded_at desc') }}
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
    from versions_ranked
    where version_rank = 1
)

select * from final
