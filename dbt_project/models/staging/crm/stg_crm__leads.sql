-- Incremental (macro crm_staging_config): new loads ranked against the versions held. A custom column
-- declared since the last run changes the fingerprint, so every load is read again and the new column
-- is filled for every lead, as a rebuild would.
{%- set columns = [
    'lead_id', 'account_id', 'last_name', 'first_name', 'email', 'person_key', 'email_domain', 'phone',
    'job_title', 'department', 'lead_source',
] + var('custom_lead_attributes') + [
    'is_do_not_contact', 'is_email_opted_out', 'owner_user_id', 'created_at', 'last_modified_at',
    'loaded_at', 'source_line_number', 'reading_fingerprint',
] %}
{{ crm_staging_config('lead_id', ['custom_lead_attributes']) }}

with

source as (
    select * from {{ source('crm', 'leads') }}
    {%- if is_incremental() %}
    where {{ loaded_since_watermark('_loaded_at') }}
    {%- endif %}
),

renamed as (
    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('account_id') }} as account_id,
        normalize_text(last_name) as last_name,
        normalize_text(first_name) as first_name,
        lower(normalize_text(email)) as email,
        -- Stands for the person downstream, where the email itself must not go (salted SHA-256).
        person_key(normalize_text(email)) as person_key,
        lower({{ dbt.split_part('normalize_text(email)', "'@'", 2) }}) as email_domain,
        normalize_text(phone) as phone,
        normalize_text(title) as job_title,
        normalize_text(department) as department,
        normalize_text(lead_source) as lead_source,
        {%- for attribute in var('custom_lead_attributes') %}
        normalize_text({{ adapter.quote(attribute) }}) as {{ adapter.quote(attribute) }},
        {%- endfor %}
        {{ is_true_label('do_not_contact') }} as is_do_not_contact,
        {{ is_true_label('email_opt_out') }} as is_email_opted_out,
        {{ clean_text('lead_owner_id') }} as owner_user_id,
        {{ export_timestamp_to_utc('created_date') }} as created_at,
        {{ export_timestamp_to_utc('last_modified_date') }} as last_modified_at,
        _loaded_at as loaded_at,
        _line_number as source_line_number,
        '{{ export_reading_fingerprint(['custom_lead_attributes']) }}' as reading_fingerprint
    from source
),

candidates as (
    {{ with_held_versions('renamed', 'lead_id', columns) }}
),

versions_ranked as (
    {{ rank_versions('candidates', 'lead_id', 'last_modified_at desc nulls last, loaded_at desc') }}
),

final as (
    select
        lead_id,
        account_id,
        last_name,
        first_name,
        email,
        person_key,
        email_domain,
        phone,
        job_title,
        department,
        lead_source,
        {%- for attribute in var('custom_lead_attributes') %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
        is_do_not_contact,
        is_email_opted_out,
        owner_user_id,
        created_at,
        last_modified_at,
        loaded_at,
        source_line_number,
        reading_fingerprint
    from versions_ranked
    where version_rank = 1
)

select * from final
