-- One row per lead x scoring moment x attribute that a demographic rule in force tests but the lead
-- has no value for: it scores neither for nor against the lead, and explanations say so (不明).
with

moments as (
    select * from {{ ref('int_lead_moments_to_score') }}
),

attributes as (
    select * from {{ ref('int_lead_attributes') }}
),

rules as (
    select * from {{ ref('demographic_rules') }}
),

attribute_labels as (
    select * from {{ ref('attribute_labels') }}
),

-- The attributes tested on each date first (a few hundred dates), so that no lead x moment x rule
-- rows need making distinct (tens of millions at 1M leads, where several rules test one attribute).
scoring_dates as (
    select distinct as_of_date from moments
),

attributes_tested_on_dates as (
    select distinct scoring_dates.as_of_date, rules.attribute
    from scoring_dates
    inner join rules
        on {{ is_active_on('scoring_dates.as_of_date') }}
),

attributes_tested as (
    select
        moments.lead_id,
        moments.scoring_moment,
        attributes_tested_on_dates.attribute
    from moments
    inner join attributes_tested_on_dates
        on moments.as_of_date = attributes_tested_on_dates.as_of_date
),

final as (
    select
        attributes_tested.lead_id,
        attributes_tested.scoring_moment,
        attributes_tested.attribute,
        coalesce(attribute_labels.label_ja, attributes_tested.attribute) as label_ja,
        coalesce(attribute_labels.label_en, attributes_tested.attribute) as label_en
    from attributes_tested
    left join attributes
        on attributes_tested.lead_id = attributes.lead_id
        and attributes_tested.scoring_moment = attributes.scoring_moment
        and attributes_tested.attribute = attributes.attribute
    left join attribute_labels
        on attributes_tested.attribute = attribute_labels.attribute
    where attributes.lead_id is null
)

select * from final
