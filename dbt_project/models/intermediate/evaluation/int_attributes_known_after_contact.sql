-- One row per custom attribute filled only after sales contacted the lead (var after_contact_attributes,
-- which a refresh fills from the export profiles' `known: after_contact`): the predictive model never
-- uses them, since at the decision moment they did not exist yet.
{%- set string_type = api.Column.translate_type('string') %}
with

declared as (
    {%- for attribute in var('after_contact_attributes') %}
    select cast({{ dbt.string_literal(attribute) }} as {{ string_type }}) as attribute
    union all
    {%- endfor %}
    select cast(null as {{ string_type }}) as attribute
),

final as (
    select attribute from declared
    where attribute is not null
)

select * from final
