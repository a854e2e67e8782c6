with

users as (
    select * from {{ ref('stg_crm__users') }}
),

final as (
    select
        user_id,
        user_name,
        team,
        is_active
    from users
)

select * from final
