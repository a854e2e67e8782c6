-- One row per custom attribute (a CRM column an export profile declares: vars custom_lead_attributes
-- and custom_account_attributes, which a refresh fills from the profiles), with when it is filled, as
-- the profiles' `known:` says (vars after_contact_attributes / before_decision_attributes):
--   after_contact    never a feature of the model or the scorecard (rules may still score it);
--   before_decision  declared known by the decision (at_creation counts too);
--   undeclared       used as known before the decision, except aggregated behaviour (a column a
--                    behaviour rule of kind attribute_* tests): a flat list's visits count as of the
--                    export, so they score the as-of moment only and no past moment learns from them.
{%- set string_type = api.Column.translate_type('string') %}
{%- set declared = [] %}
{%- for attribute in var('custom_lead_attributes') %}{% do declared.append((attribute, 'lead')) %}{% endfor %}
{%- for attribute in var('custom_account_attributes') %}{% do declared.append((attribute, 'account')) %}{% endfor %}
with

behavior_rules as (
    select * from {{ ref('behavior_rules') }}
),

declared as (
    {%- for attribute, record in declared %}
    {%- if attribute in var('after_contact_attributes') %}{% set known = 'after_contact' %}
    {%- elif attribute in var('before_decision_attributes') %}{% set known = 'before_decision' %}
    {%- else %}{% set known = 'undeclared' %}{% endif %}
    select
        cast({{ dbt.string_literal(attribute) }} as {{ string_type }}) as attribute,
        cast({{ dbt.string_literal(record) }} as {{ string_type }}) as record_kind,
        cast({{ dbt.string_literal(known) }} as {{ string_type }}) as known
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as attribute,
        cast(null as {{ string_type }}) as record_kind,
        cast(null as {{ string_type }}) as known
),

aggregated_behavior as (
    select distinct event_type as attribute
    from behavior_rules
    where rule_kind in ('attribute_at_least', 'attribute_within_days')
),

final as (
    select
        declared.attribute,
        declared.record_kind,
        declared.known,
        aggregated_behavior.attribute is not null as is_aggregated_behavior,
        declared.known = 'before_decision'
            or (declared.known = 'undeclared' and aggregated_behavior.attribute is null) as is_known_at_decision
    from declared
    left join aggregated_behavior
        on declared.attribute = aggregated_behavior.attribute
    where declared.attribute is not null
)

select * from final
