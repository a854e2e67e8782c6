-- Incremental: a run reads the raw rows of new loads only and ranks them against the version held for
-- the same leads, so a delta costs in proportion to its rows and an older export loaded later never
-- replaces a newer version. A custom column the table does not hold yet (a profile declared it since)
-- makes the run read every load once, so the new column is filled for every lead, as a rebuild would.
{%- set columns = [
    'lead_id', 'account_id', 'last_name', 'first_name', 'email', 'person_key', 'email_domain', 'phone',
    'job_title', 'department', 'lead_source',
] + var('custom_lead_attributes') + [
    'is_do_not_contact', 'is_email_opted_out', 'owner_user_id', 'created_at', 'last_modified_at',
    'loaded_at', 'source_line_number',
] %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='lead_id',
        on_schema_change='append_new_columns',
    )
}}
{%- set reads_new_loads_only = is_incremental() and holds_columns(this, var('custom_lead_attributes')) %}

with

source as (
    select * from {{ source('crm', 'leads') }}
    {%- if reads_new_loads_only %}
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
        _line_number as source_line_number
    from source
),

candidates as (
    select {% for column in columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor %}
    from renamed
    {%- if reads_new_loads_only %}
    union all
    select {% for column in columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor %}
    from {{ this }}
    where lead_id in (select lead_id from renamed)
    {%- endif %}
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
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
