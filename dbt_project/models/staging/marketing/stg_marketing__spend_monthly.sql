with

source as (
    select * from {{ source('marketing', 'spend_monthly') }}
),

renamed as (
    select
        {{ loaded_export_month('month') }} as spend_month,
        normalize_text(channel) as channel,
        parse_japanese_number(spend_jpy) as spend_jpy,
        _loaded_at as loaded_at,
        _line_number as source_line_number
    from source
),

-- A re-exported sheet may repeat a month and channel; the figure is the same, keep one.
versions_ranked as (
    {{ rank_versions('renamed', 'spend_month, channel') }}
),

final as (
    select
        spend_month,
        channel,
        spend_jpy,
        loaded_at,
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
