-- Incremental (macro crm_staging_config): new loads ranked against the versions held.
{%- set columns = ['opportunity_id', 'lead_id', 'account_id', 'opportunity_name', 'stage', 'stage_outcome', 'amount_jpy', 'created_at', 'closed_date', 'lost_reason', 'owner_user_id', 'loaded_at', 'source_line_number', 'reading_fingerprint'] %}
{{ crm_staging_config('opportunity_id', ['opportunity_stages']) }}

with

source as (
    select * from {{ source('crm', 'opportunities') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as (
    select
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('account_id') }} as account_id,
        {{ scrub_personal_data('normalize_text(opportunity_name)') }} as opportunity_name,
        {{ clean_text('stage') }} as stage,
        {{ map_values('stage', 'opportunity_stages') }} as stage_outcome,
        parse_japanese_number(amount) as amount_jpy,
        {{ export_timestamp_to_utc('created_date') }} as created_at,
        {{ loaded_export_date('close_date') }} as closed_date,
        {{ scrub_personal_data('normalize_text(lost_reason)') }} as lost_reason,
        {{ clean_text('opportunity_owner_id') }} as owner_user_id,
        _loaded_at as loaded_at,
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['opportunity_stages']) }}' as reading_fingerprint
    from source
),

candidates as (
    {{ with_held_versions('renamed', 'opportunity_id', columns) }}
),

versions_ranked as (
    {{ rank_versions('candidates', 'opportunity_id') }}
),

final as (
    select
        opportunity_id,
        lead_id,
        account_id,
        opportunity_name,
        stage,
        stage_outcome,
        stage_outcome in ('won', 'lost') as is_closed,
        stage_outcome = 'won' as is_won,
        amount_jpy,
        created_at,
        closed_date,
        lost_reason,
        owner_user_id,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from versions_ranked
    where version_rank = 1
)

select * from final
