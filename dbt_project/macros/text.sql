{#- Text from an export: trimmed, and empty means null (exports write "" for "no value"). -#}
{% macro clean_text(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}

{#- Map export labels to our codes from a dict var ({"Visit Web Page": "page_view", ...}).
    Labels not in the var become null, which the accepted_values / not_null tests then report. -#}
{% macro map_values(expression, var_name) -%}
    case {{ clean_text(expression) }}
    {%- for label, code in var(var_name).items() %}
        when {{ dbt.string_literal(label) }} then {{ dbt.string_literal(code) }}
    {%- endfor %}
    end
{%- endmacro %}

{#- True when the export's flag says yes in any of the spellings of var true_labels. -#}
{% macro is_true_label(expression) -%}
    coalesce(lower({{ clean_text(expression) }}) in (
        {%- for label in var('true_labels') %}{{ dbt.string_literal(label) }}{{ ", " if not loop.last }}{% endfor -%}
    ), false)
{%- endmacro %}

{#- The path of a URL: "https://host/pricing?x=1" -> "/pricing?x=1"; a bare path stays as it is. -#}
{% macro url_path(expression) -%}
    case
        when {{ expression }} like '/%' then {{ expression }}
        when position('://' in {{ expression }}) = 0 then null
        when position('/' in substr({{ expression }}, position('://' in {{ expression }}) + 3)) = 0 then '/'
        else substr(
            {{ expression }},
            position('://' in {{ expression }}) + 2
                + position('/' in substr({{ expression }}, position('://' in {{ expression }}) + 3))
        )
    end
{%- endmacro %}

{#- The host of a URL without "www.": "https://www.abc.co.jp/x" -> "abc.co.jp". CRMs such as
    HubSpot export a bare domain ("abc.co.jp"), which is its own host. -#}
{% macro url_host(expression) -%}
    {%- set without_scheme -%}
        case when position('://' in {{ expression }}) > 0 then {{ dbt.split_part(expression, "'://'", 2) }} else {{ expression }} end
    {%- endset -%}
    replace(
        {{ dbt.split_part(without_scheme, "'/'", 1) }},
        'www.', ''
    )
{%- endmacro %}

{#- The values of a group joined by `separator` (a SQL literal) in the order of `order_by` (a list of
    expressions): dbt's listagg, except on Spark, whose listagg cannot order (sorted structs instead). -#}
{% macro ordered_listagg(value, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'lead_warehouse')(value, separator, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(value, separator, order_by) -%}
    {{ dbt.listagg(value, separator, 'order by ' ~ order_by | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(value, separator, order_by) -%}
    array_join(transform(array_sort(collect_list(named_struct(
        {%- for expression in order_by %}'k{{ loop.index }}', {{ expression }}, {% endfor -%}
        'value', {{ value }}))), entry -> entry.value), {{ separator }})
{%- endmacro %}
