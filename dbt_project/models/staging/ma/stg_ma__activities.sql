-- Event-sized: plain SQL only (no Python UDFs) so that it scales to tens of millions of rows.
-- Incremental: a run reads the raw rows of new loads only; a newer version of a row replaces
-- the one held (the newest load wins, as when the whole history is ranked). A column added later
-- (source_line_number) is added to the table held, whose older rows keep null in it.
{{
    incremental_config({
        'incremental_strategy': 'delete+insert',
        'unique_key': 'activity_id',
        'on_schema_change': 'append_new_columns',
    })
}}

with

source as (
    select * from {{ source('ma', 'activities') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as {{ materialized_cte() }} (
    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ map_values('activity_type', 'ma_activity_types') }} as activity_type,
        {{ export_timestamp_to_utc('activity_date') }} as activity_at,
        {{ clean_text('web_page_url') }} as page_url,
        {{ url_path(clean_text('web_page_url')) }} as page_path,
        {{ clean_text('session_id') }} as session_id,
        {{ try_cast_as(clean_text('dwell_time_sec'), 'integer') }} as dwell_seconds,
        {{ clean_text('asset_name') }} as asset_name,
        {{ clean_text('asset_type') }} as asset_type,
        {{ clean_text('webinar_name') }} as webinar_name,
        _loaded_at as loaded_at,
        _line_number as source_line_number
    from source
),

versions_ranked as (
    {{ keep_newest_of_repeated('renamed', 'activity_id') }}
),

final as (
    select
        activity_id,
        lead_id,
        activity_type,
        activity_at,
        page_url,
        page_path,
        session_id,
        dwell_seconds,
        asset_name,
        asset_type,
        webinar_name,
        loaded_at,
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
