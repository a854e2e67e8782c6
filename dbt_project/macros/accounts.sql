{#- The attributes of an account, built-in and custom (var custom_account_attributes), as the account
    models carry them from version to version; each followed by a comma. -#}
{% macro account_attribute_columns() -%}
    account_name,
        account_name_normalized,
        industry,
        employee_count,
        annual_revenue_jpy,
        prefecture,
        website_domain,
        {%- for attribute in var('custom_account_attributes') %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
{%- endmacro %}
