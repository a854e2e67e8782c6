-- One row per month and channel of marketing spend up to the as-of month: spend exported per lead
-- source, grouped into channels by seed lead_source_channels (unlisted sources: 'unmapped').
with

spend as (
    select * from {{ ref('stg_marketing__spend_monthly') }}
    where spend_month <= {{ as_of_date_literal() }}
),

channels as (
    select * from {{ ref('lead_source_channels') }}
),

final as (
    select
        spend.spend_month,
        {{ mapped_channel('channels') }} as channel_code,
        cast(sum(spend.spend_jpy) as bigint) as spend_jpy
    from spend
    left join channels
        on spend.channel = channels.lead_source
    group by 1, 2
)

select * from final
