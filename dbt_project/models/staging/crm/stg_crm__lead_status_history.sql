-- The export has no id for a status change: the key is a hash of lead, status and time, which also
-- removes the exact repeats that overlapping exports produce.
-- Incremental (macro crm_staging_config): new loads ranked against the versions held.
{%- set columns = ['status_change_id', 'lead_id', 'status', 'status_as_exported', 'changed_at', 'changed_by', 'reason', 'loaded_at', 'source_line_number', 'reading_fingerprint'] %}
{{ crm_staging_config('status_change_id', ['lead_statuses']) }}

with

source as (
    select * from {{ source('crm', 'lead_status_history') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as (
    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ map_values('status', 'lead_statuses') }} as status,
        {{ clean_text('status') }} as status_as_exported,
        {{ export_timestamp_to_utc('changed_date') }} as changed_at,
        {{ clean_text('changed_by') }} as changed_by,
        {{ scrub_personal_data('normalize_text(reason)') }} as reason,
        _loaded_at as loaded_at,
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['lead_statuses']) }}' as reading_fingerprint
    from source
),

keyed as (
    select
        {{ dbt.hash(dbt.concat([
            "coalesce(lead_id, '')", "'|'", "coalesce(status_as_exported, '')", "'|'",
            "coalesce(" ~ dbt.cast("changed_at", api.Column.translate_type("string")) ~ ", '')"
        ])) }} as status_change_id,
        *
    from renamed
),

candidates as (
    {{ with_held_versions('keyed', 'status_change_id', columns) }}
),

versions_ranked as (
    {{ rank_versions('candidates', 'status_change_id') }}
),

final as (
    select
        status_change_id,
        lead_id,
        status,
        status_as_exported,
        changed_at,
        changed_by,
        reason,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from versions_ranked
    where version_rank = 1
)

select * from final
