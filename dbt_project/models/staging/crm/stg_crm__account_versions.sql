-- Every version of every account the exports have held: the history that point-in-time scores and
-- dims read the account from (an account as it was on a past date), since exports repeat an account
-- each time the CRM changes it. The same version exported twice is kept once (the latest load).
-- Incremental (macro crm_staging_config): a run reads new loads only and numbers the versions again
-- of the accounts they name, with the versions held for them; other accounts are left as they are.
{%- set columns = [
    'account_id', 'account_name', 'account_name_normalized', 'industry', 'employee_count',
    'annual_revenue_jpy', 'prefecture', 'website_domain',
] + var('custom_account_attributes') + [
    'prefecture_as_exported', 'last_modified_at', 'loaded_at', 'source_line_number', 'reading_fingerprint',
] %}
{{ crm_staging_config('account_id', ['custom_account_attributes']) }}

with

source as (
    select * from {{ source('crm', 'accounts') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
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
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['custom_account_attributes']) }}' as reading_fingerprint
    from source
),

candidates as (
    {{ with_held_versions('renamed', 'account_id', columns) }}
),

-- The same version exported twice (same account and change time) counts once: the latest load.
versions_deduplicated as (
    select
        *,
        row_number() over (
            partition by account_id, last_modified_at order by loaded_at desc
        ) as repeat_rank
    from candidates
),

-- Oldest first; an undated version sorts before the dated ones, as staging has always ranked them.
distinct_versions as (
    select
        *,
        row_number() over (
            partition by account_id order by last_modified_at nulls first, loaded_at
        ) as version_number,
        count(*) over (partition by account_id) as version_count
    from versions_deduplicated
    where repeat_rank = 1
),

final as (
    select
        account_id,
        version_number,
        version_number = version_count as is_latest_version,
        -- The first version known stands for the account before it too: older states were never
        -- exported, so a date before the history begins reads the earliest one (null: since always).
        case when version_number > 1 then last_modified_at end as valid_from_at,
        {{ account_attribute_columns() }}
        prefecture_as_exported,
        last_modified_at,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from distinct_versions
)

select * from final
