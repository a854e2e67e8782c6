-- Incremental (macro crm_staging_config): new loads ranked against the versions held.
{%- set columns = ['sales_activity_id', 'lead_id', 'activity_type', 'subject', 'owner_user_id', 'activity_at', 'loaded_at', 'source_line_number', 'reading_fingerprint'] %}
{{ crm_staging_config('sales_activity_id', ['sales_activity_types']) }}

with

source as (
    select * from {{ source('crm', 'sales_activities') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as (
    select
        {{ clean_text('task_id') }} as sales_activity_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ map_values('type', 'sales_activity_types') }} as activity_type,
        {{ scrub_personal_data('normalize_text(subject)') }} as subject,
        {{ clean_text('assigned_to') }} as owner_user_id,
        {{ export_timestamp_to_utc('activity_date_time') }} as activity_at,
        _loaded_at as loaded_at,
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['sales_activity_types']) }}' as reading_fingerprint
    from source
),

candidates as (
    {{ with_held_versions('renamed', 'sales_activity_id', columns) }}
),

versions_ranked as (
    {{ rank_versions('candidates', 'sales_activity_id') }}
),

final as (
    select
        sales_activity_id,
        lead_id,
        activity_type,
        subject,
        owner_user_id,
        activity_at,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from versions_ranked
    where version_rank = 1
)

select * from final
