-- One row per channel (seed lead_source_channels groups lead sources into channels), plus the
-- 'unmapped' channel every mart uses for a lead source the seed does not list, so a BI tool or the
-- semantic layer joining on channel_code never drops those leads.
with

lead_source_channels as (
    select * from {{ ref('lead_source_channels') }}
),

channels as (
    select
        channel_code,
        max(channel_name_en) as channel_name_en,
        max(channel_name_ja) as channel_name_ja,
        bool_or(is_paid_channel) as is_paid_channel
    from lead_source_channels
    group by channel_code
),

final as (
    select * from channels
    union all
    select
        {{ unmapped_channel() }} as channel_code,
        'Unmapped source' as channel_name_en,
        '未分類の流入元' as channel_name_ja,
        false as is_paid_channel
)

select * from final
