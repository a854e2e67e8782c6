-- Event-sized: plain SQL only (no Python UDFs) so that it scales to tens of millions of rows.
-- Incremental: a run reads the raw rows of new loads only; a newer version of a row replaces
-- the one held (the newest load wins, as when the whole history is ranked). A column added later
-- (source_line_number) is added to the table held, whose older rows keep null in it.
{{
    incremental_config({
        'incremental_strategy': 'delete+insert',
        'unique_key': 'email_event_id',
        'on_schema_change': 'append_new_columns',
    })
}}

with

source as (
    select * from {{ source('ma', 'email_events') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as {{ materialized_cte() }} (
    select
        {{ clean_text('event_id') }} as email_event_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ map_values('lower(event_type)', 'email_event_types') }} as event_type,
        lower({{ clean_text('bounce_type') }}) as bounce_type,
        {{ export_timestamp_to_utc('event_date') }} as event_at,
        _loaded_at as loaded_at,
        _line_number as source_line_number
    from source
),

versions_ranked as (
    {{ keep_newest_of_repeated('renamed', 'email_event_id') }}
),

final as (
    select
        email_event_id,
        lead_id,
        campaign_id,
        campaign_name,
        event_type,
        bounce_type,
        event_at,
        loaded_at,
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
