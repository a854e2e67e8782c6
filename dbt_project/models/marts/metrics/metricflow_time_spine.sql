-- The day grain dbt's semantic layer (MetricFlow) places metric_time on: every day from 2000 to the
-- as-of date (nothing after it, as in every mart), generated with dbt-core's own date_spine macro.
with

days as (
    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", dbt.dateadd('day', 1, as_of_date_literal())) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
