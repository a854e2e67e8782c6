-- Counts, not averages: BI sums the counts over any dimensions and divides, so rates re-aggregate
-- correctly. Young cohorts have not had time to convert: observation_days and is_cohort_mature say so.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

grouped as (
    select
        cohort_month,
        channel_code,
        coalesce(score_band_at_first_mql, 'not_mql') as score_band_at_first_mql,
        owner_user_id,
        count(*) as leads,
        count(case when has_reached_mql then 1 end) as mqls,
        count(case when has_reached_sal then 1 end) as sals,
        count(case when has_reached_sql then 1 end) as sqls,
        count(case when has_reached_opportunity then 1 end) as opportunities,
        count(case when is_won then 1 end) as won,
        count(case when is_lost then 1 end) as lost,
        count(case when is_disqualified then 1 end) as disqualified,
        count(case when is_recycled then 1 end) as recycled,
        sum(won_amount_jpy) as won_amount_jpy
    from funnel
    group by 1, 2, 3, 4
),

final as (
    select
        *,
        {{ dbt.datediff('cohort_month', as_of_date_literal(), 'day') }} as observation_days,
        {{ dbt.datediff('cohort_month', as_of_date_literal(), 'day') }} >= {{ var('conversion_maturity_days') }}
            as is_cohort_mature,
        {%- for numerator, denominator in [('mqls', 'leads'), ('sals', 'mqls'), ('sqls', 'sals'),
                                           ('opportunities', 'sqls'), ('won', 'opportunities'), ('won', 'leads')] %}
        case when {{ denominator }} > 0 then cast({{ numerator }} as double) / {{ denominator }} end
            as {{ denominator }}_to_{{ numerator }}_rate{{ "," if not loop.last }}
        {%- endfor %}
    from grouped
)

select * from final
