-- One row per custom attribute (a CRM column an export profile declares: vars custom_lead_attributes
-- and custom_account_attributes, which a refresh fills from the profiles), with when it is filled: the
-- predictive model never uses one filled after contact (var after_contact_attributes, from the
-- profiles' `known: after_contact`), and its leakage guard judges custom columns by their names.
{%- set string_type = api.Column.translate_type('string') %}
{%- set declared = [] %}
{%- for attribute in var('custom_lead_attributes') %}{% do declared.append((attribute, 'lead')) %}{% endfor %}
{%- for attribute in var('custom_account_attributes') %}{% do declared.append((attribute, 'account')) %}{% endfor %}
with

declared as (
    {%- for attribute, record in declared %}
    select
        cast({{ dbt.string_literal(attribute) }} as {{ string_type }}) as attribute,
        cast({{ dbt.string_literal(record) }} as {{ string_type }}) as record_kind,
        cast({{ dbt.string_literal('after_contact' if attribute in var('after_contact_attributes') else 'before_decision') }}
            as {{ string_type }}) as known
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as attribute,
        cast(null as {{ string_type }}) as record_kind,
        cast(null as {{ string_type }}) as known
),

final as (
    select * from declared
    where attribute is not null
)

select * from final
