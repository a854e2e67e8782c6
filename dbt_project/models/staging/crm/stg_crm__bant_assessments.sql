-- Incremental (macro crm_staging_config): new loads ranked against the versions held.
{%- set columns = ['bant_assessment_id', 'lead_id', 'assessed_at', 'assessed_by_user_id', 'budget_level', 'budget_amount_jpy', 'authority_role', 'need_level', 'need_note', 'timeline', 'loaded_at', 'source_line_number', 'reading_fingerprint'] %}
{{ crm_staging_config('bant_assessment_id', ['bant_levels', 'bant_authority_roles', 'bant_timelines']) }}

with

source as (
    select * from {{ source('crm', 'bant_assessments') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as (
    select
        {{ clean_text('assessment_id') }} as bant_assessment_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ export_timestamp_to_utc('assessed_date') }} as assessed_at,
        {{ clean_text('assessed_by') }} as assessed_by_user_id,
        {{ map_values('budget', 'bant_levels') }} as budget_level,
        parse_japanese_number(budget_amount) as budget_amount_jpy,
        {{ map_values('authority', 'bant_authority_roles') }} as authority_role,
        {{ map_values('need', 'bant_levels') }} as need_level,
        {{ scrub_personal_data('normalize_text(need_note)') }} as need_note,
        {{ map_values('timeline', 'bant_timelines') }} as timeline,
        _loaded_at as loaded_at,
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['bant_levels', 'bant_authority_roles', 'bant_timelines']) }}' as reading_fingerprint
    from source
),

candidates as (
    {{ with_held_versions('renamed', 'bant_assessment_id', columns) }}
),

versions_ranked as (
    {{ rank_versions('candidates', 'bant_assessment_id') }}
),

final as (
    select
        bant_assessment_id,
        lead_id,
        assessed_at,
        assessed_by_user_id,
        budget_level,
        budget_amount_jpy,
        authority_role,
        need_level,
        need_note,
        timeline,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from versions_ranked
    where version_rank = 1
)

select * from final
