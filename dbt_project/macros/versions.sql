{#- Exports repeat records (overlapping pages, a record changed during the export, a re-dropped
    file). Ranks the versions of each key, newest first; staging keeps version_rank = 1. Within one
    load the later line wins: without that tie-break the pick among a file's repeats would change from
    run to run, and an incremental build would disagree with a full rebuild. -#}
{% macro rank_versions(relation, unique_key, newest_first='loaded_at desc') -%}
    select
        *,
        row_number() over (partition by {{ unique_key }} order by {{ newest_first }}, source_line_number desc) as version_rank
    from {{ relation }}
{%- endmacro %}

{#- The same for event-sized models, where repeats are rare: only keys exported more than once are
    ranked (a window over tens of millions of rows would sort them all). `relation` is read twice,
    so the model declares it {{ materialized_cte() }}. -#}
{% macro keep_newest_of_repeated(relation, unique_key, newest_first='loaded_at desc') -%}
    select {{ relation }}.*, 1 as version_rank
    from {{ relation }}
    where {{ unique_key }} is null or {{ unique_key }} not in (
        select {{ unique_key }} from {{ relation }} where {{ unique_key }} is not null
        group by 1 having count(*) > 1
    )
    union all
    select
        {{ relation }}.*,
        row_number() over (partition by {{ unique_key }} order by {{ newest_first }}, source_line_number desc) as version_rank
    from {{ relation }}
    where {{ unique_key }} in (
        select {{ unique_key }} from {{ relation }} where {{ unique_key }} is not null
        group by 1 having count(*) > 1
    )
{%- endmacro %}

{#- A CTE computed once even when read several times (DuckDB and Postgres: `as materialized`). -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'lead_warehouse')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}{%- endmacro %}

{% macro duckdb__materialized_cte() -%}materialized{%- endmacro %}

{#- A CTE inlined into each query that reads it, so that each reader's filters reach the tables it
    scans (DuckDB materializes a CTE read twice by default: all of it, before any filter). -#}
{% macro inlined_cte() -%}
    {{ return(adapter.dispatch('inlined_cte', 'lead_warehouse')()) }}
{%- endmacro %}

{% macro default__inlined_cte() -%}{%- endmacro %}

{% macro duckdb__inlined_cte() -%}not materialized{%- endmacro %}
