-- One row per account: its newest version.
with

versions as (
    select * from {{ ref('stg_crm__account_versions') }}
),

final as (
    select
        account_id,
        {{ account_attribute_columns() }}
        prefecture_as_exported,
        last_modified_at,
        loaded_at,
        source_line_number
    from versions
    where is_latest_version
)

select * from final
