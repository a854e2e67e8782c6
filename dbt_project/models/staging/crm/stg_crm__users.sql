with

source as (
    select * from {{ source('crm', 'users') }}
),

renamed as (
    select
        {{ clean_text('user_id') }} as user_id,
        normalize_text(full_name) as user_name,
        lower({{ clean_text('email') }}) as email,
        normalize_text(team) as team,
        {{ is_true_label('active') }} as is_active,
        _loaded_at as loaded_at,
        _line_number as source_line_number
    from source
),

versions_ranked as (
    {{ rank_versions('renamed', 'user_id') }}
),

final as (
    select
        user_id,
        user_name,
        email,
        team,
        is_active,
        loaded_at,
        source_line_number
    from versions_ranked
    where version_rank = 1
)

select * from final
