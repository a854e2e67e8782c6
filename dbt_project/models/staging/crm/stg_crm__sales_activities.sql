with

source as (
    select * from {{ source('crm', 'sales_activities') }}
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
        _line_number as source_line_number
    from source
),

versions_ranked as (
    {{ rank_versions('renamed', 'sales_activity_id') }}
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
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
