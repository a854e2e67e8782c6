-- One row per month and channel (channel_code = 'all' for the month as a whole): the shared KPIs of
-- marketing and sales. Stage rates follow the cohort of the earlier stage (of the leads first MQL'd
-- in the month, the share that reached SQL), so a month's rate keeps maturing: is_cohort_mature says
-- when it has had var conversion_maturity_days to do so. CAC counts new customers (an account's first
-- win) only; cohort CAC divides the month's spend by the new customers won from the month's leads.
with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

-- Leads the score qualified at their decision moment (first handoff, or some days after creation),
-- to set against the handoffs: the marketing side of the SLA, where score and CRM disagree.
score_qualified_at_decision as (
    select * from funnel
    where is_score_qualified_at_decision
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

spend_by_channel as (
    select spend_month as kpi_month, channel_code, spend_jpy
    from {{ ref('fct_marketing_spend_monthly') }}
),

-- One row per lead and month it counts in, per measure: created (leads), handed off (mqls), became
-- SQL (sqls), won (won), score-qualified at its decision moment. The flags say what the lead reached
-- by the as-of date (cohort rates).
funnel_events as (
    {%- set month_of = {
        'leads': 'created_date',
        'mqls': 'first_mql_date',
        'sqls': 'sql_date',
        'won': 'won_date',
        'score_qualified': 'decision_date',
    } %}
    {%- for measure, date_expression in month_of.items() %}
    select
        cast({{ dbt.date_trunc('month', date_expression) }} as date) as kpi_month,
        channel_code,
        '{{ measure }}' as measure,
        1 as lead_count,
        case when has_reached_sql then 1 else 0 end as reached_sql,
        case when is_won then 1 else 0 end as reached_won,
        case when is_new_customer_win then 1 else 0 end as reached_new_customer,
        case when first_mql_at is null then 1 else 0 end as not_handed_off,
        {%- if measure == 'won' %}
        days_created_to_close as days_to_close,
        won_amount_jpy as amount_jpy
        {%- else %}
        cast(null as integer) as days_to_close,
        0 as amount_jpy
        {%- endif %}
    from {{ 'score_qualified_at_decision' if measure == 'score_qualified' else 'funnel' }}
    where {{ date_expression }} is not null
    union all
    {%- endfor %}
    select
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as kpi_month,
        channel_code,
        'pipeline' as measure,
        0 as lead_count,
        0 as reached_sql,
        0 as reached_won,
        0 as reached_new_customer,
        0 as not_handed_off,
        cast(null as integer) as days_to_close,
        amount_jpy
    from opportunities
),

measures as (
    select
        kpi_month,
        coalesce(channel_code, 'all') as channel_code,
        {%- set counts = {
            'new_leads': ('leads', 'lead_count'),
            'cohort_new_customers': ('leads', 'reached_new_customer'),
            'mqls': ('mqls', 'lead_count'),
            'score_qualified_at_decision': ('score_qualified', 'lead_count'),
            'score_qualified_not_handed_off': ('score_qualified', 'not_handed_off'),
            'mqls_reaching_sql': ('mqls', 'reached_sql'),
            'mqls_won': ('mqls', 'reached_won'),
            'sqls': ('sqls', 'lead_count'),
            'sqls_won': ('sqls', 'reached_won'),
            'won_deals': ('won', 'lead_count'),
            'new_customers': ('won', 'reached_new_customer'),
        } %}
        {%- for name, (measure, column) in counts.items() %}
        cast(sum(case when measure = '{{ measure }}' then {{ column }} else 0 end) as bigint) as {{ name }},
        {%- endfor %}
        avg(case when measure = 'won' then days_to_close end) as avg_days_lead_to_close,
        {{ percentile("case when measure = 'won' then days_to_close end", 0.5) }} as median_days_lead_to_close,
        cast(sum(case when measure = 'won' then amount_jpy else 0 end) as bigint) as won_amount_jpy,
        cast(sum(case when measure = 'pipeline' then amount_jpy else 0 end) as bigint) as pipeline_created_amount_jpy
    from funnel_events
    group by grouping sets ((kpi_month), (kpi_month, channel_code))
),

spend_with_total as (
    select kpi_month, channel_code, spend_jpy from spend_by_channel
    union all
    select kpi_month, 'all' as channel_code, cast(sum(spend_jpy) as bigint) as spend_jpy
    from spend_by_channel
    group by 1
),

month_channels as (
    select kpi_month, channel_code from measures
    union
    select kpi_month, channel_code from spend_with_total
),

final as (
    select
        month_channels.kpi_month,
        month_channels.channel_code,
        {%- for count in counts %}
        coalesce(measures.{{ count }}, 0) as {{ count }},
        {%- endfor %}
        coalesce(measures.won_deals, 0) - coalesce(measures.new_customers, 0) as expansion_wins,
        measures.avg_days_lead_to_close,
        measures.median_days_lead_to_close,
        coalesce(measures.won_amount_jpy, 0) as won_amount_jpy,
        coalesce(measures.pipeline_created_amount_jpy, 0) as pipeline_created_amount_jpy,
        coalesce(spend_with_total.spend_jpy, 0) as spend_jpy,
        {%- for rate, numerator, denominator in [
            ('mql_to_sql_rate', 'mqls_reaching_sql', 'mqls'),
            ('sql_to_won_rate', 'sqls_won', 'sqls'),
            ('mql_to_won_rate', 'mqls_won', 'mqls'),
        ] %}
        case when measures.{{ denominator }} > 0 then cast(measures.{{ numerator }} as double) / measures.{{ denominator }} end
            as {{ rate }},
        {%- endfor %}
        case when measures.new_customers > 0 then spend_with_total.spend_jpy / measures.new_customers end
            as cac_jpy,
        case when measures.cohort_new_customers > 0 then spend_with_total.spend_jpy / measures.cohort_new_customers end
            as cohort_cac_jpy,
        {{ dbt.datediff('month_channels.kpi_month', as_of_date_literal(), 'day') }} as observation_days,
        {{ dbt.datediff('month_channels.kpi_month', as_of_date_literal(), 'day') }} >= {{ var('conversion_maturity_days') }}
            as is_cohort_mature
    from month_channels
    left join measures
        on month_channels.kpi_month = measures.kpi_month
        and month_channels.channel_code = measures.channel_code
    left join spend_with_total
        on month_channels.kpi_month = spend_with_total.kpi_month
        and month_channels.channel_code = spend_with_total.channel_code
)

select * from final
