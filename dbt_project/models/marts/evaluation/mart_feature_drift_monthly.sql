-- One row per decision month x attribute x value: how the lead attributes rules and the predictive
-- model use (var drift_attributes, plus every custom attribute) were distributed among the leads
-- decided that month, with each attribute's population stability index against the previous
-- var drift_baseline_months months. Numbers are bucketed by order of magnitude (10^2 = 100-999).
{%- set attributes = var('drift_attributes') + var('custom_lead_attributes') + var('custom_account_attributes') %}
with

attributes as (
    select * from {{ ref('int_lead_attributes') }}
    where scoring_moment = 'decision'
),

values_bucketed as (
    select
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as decision_month,
        attribute,
        case
            when value_number is not null then '10^' || cast(floor(log10(greatest(value_number, 1))) as integer)
            else value_text
        end as attribute_value,
        lead_id
    from attributes
    where attribute in ({% for attribute in attributes %}'{{ attribute }}'{{ ", " if not loop.last }}{% endfor %})
),

observed as (
    select decision_month, attribute, attribute_value, count(distinct lead_id) as value_leads
    from values_bucketed
    group by 1, 2, 3
),

-- Every value in every month (zero where absent), so a value that disappears counts as drift.
value_grid as (
    select months.decision_month, known_values.attribute, known_values.attribute_value,
        coalesce(observed.value_leads, 0) as value_leads
    from (select distinct decision_month from observed) as months
    cross join (select distinct attribute, attribute_value from observed) as known_values
    left join observed
        on months.decision_month = observed.decision_month
        and known_values.attribute = observed.attribute
        and known_values.attribute_value = observed.attribute_value
),

{{ drift_shares('value_grid', 'decision_month', 'attribute_value', 'value_leads', extra_partition='attribute') }}

final as (
    select
        band_shares.decision_month,
        band_shares.attribute,
        band_shares.attribute_value,
        band_shares.value_leads as leads,
        band_shares.share,
        band_shares.baseline_share,
        psi.psi as attribute_psi,
        psi.psi > {{ var('drift_psi_alert') }} as is_drifting
    from band_shares
    left join psi
        on band_shares.decision_month = psi.decision_month and band_shares.attribute = psi.attribute
)

select * from final
