-- One row per account as it was on the as-of date (var scoring_as_of): the latest version changed
-- by then. An account changed only later shows its earliest exported version, the closest known.
with

versions as (
    select * from {{ ref('stg_crm__account_versions') }}
),

versions_in_force as (
    select
        *,
        row_number() over (partition by account_id order by version_number desc) as recency_rank
    from versions
    where valid_from_at is null or valid_from_at < {{ as_of_end_utc_literal() }}
),

final as (
    select
        account_id,
        version_number,
        {{ account_attribute_columns() }}
        last_modified_at
    from versions_in_force
    where recency_rank = 1
)

select * from final
