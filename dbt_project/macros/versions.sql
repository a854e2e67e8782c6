{#- Exports repeat records (overlapping pages, a record changed during the export, a re-dropped
    file). Ranks the versions of each key, newest first; staging keeps version_rank = 1. -#}
{% macro rank_versions(relation, unique_key, newest_first='loaded_at desc') -%}
    select
        *,
        row_number() over (partition by {{ unique_key }} order by {{ newest_first }}) as version_rank
    from {{ relation }}
{%- endmacro %}
