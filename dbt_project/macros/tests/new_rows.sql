{#- Data tests that look at the day's rows only. A test configured `where: "__loaded_in_this_run__"`
    (dbt_project.yml sets it for staging) checks the rows whose `loaded_at` is at or after the start of
    this refresh: rows loaded earlier were checked by the run that loaded them. That holds only while
    nothing else could have changed them, so every row is checked
      - on --full-refresh, and on a warehouse no refresh has built (no raw._build_runs; a plain
        `dbt build` on a published warehouse checks the rows loaded since its last refresh started),
      - when the build's inputs differ from those of the last build that passed in full (seeds, model,
        macro and test code, test arguments, vars: macro build_inputs_fingerprint), since then held
        rows may have been read again with other settings,
      - on a model without a `loaded_at` column.
    Only row-by-row tests are configured so (not_null, accepted_values, relationships from the model,
    raw_values_reach_staging, no_personal_data) and unique on keys the model itself keeps unique
    across loads (delete+insert on that key, or one version per key).

    The tables that keep every scoring moment (every_moment_config) have no `loaded_at`: a test
    configured `where: "__scored_in_this_run__"` checks the rows of the moments this run scored
    (int_lead_moments_to_score), under the same conditions. Unique on a key that includes lead_id and
    scoring_moment holds so: a run adds rows only to the moments it scores, so a duplicate always
    sits inside one of them. -#}

{#- dbt wraps the tested model in this before every generic test (overrides dbt's own). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__loaded_in_this_run__' in where -%}
        {%- set since = new_rows_since(relation) -%}
        {%- set where = none if since is none else where | replace('__loaded_in_this_run__', 'loaded_at >= ' ~ since) -%}
    {%- endif -%}
    {%- if where and '__scored_in_this_run__' in where -%}
        {%- set scored = moments_scored_in_this_run(relation) -%}
        {{ return(relation if scored is none else '(' ~ scored ~ ') dbt_subquery') }}
    {%- endif -%}
    {%- if where -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The rows of `relation` (a table that keeps every moment) of the moments this run scored, as a
    query; none when every row needs checking. -#}
{% macro moments_scored_in_this_run(relation) -%}
    {%- if refresh_started_at(relation) is none -%}{{ return(none) }}{%- endif -%}
    {%- set scored = adapter.get_relation(
        database=relation.database, schema='intermediate', identifier='int_lead_moments_to_score') -%}
    {%- if scored is none -%}{{ return(none) }}{%- endif -%}
    {{ return('select held.* from ' ~ relation ~ ' as held inner join ' ~ scored ~ ' as scored'
        ~ ' on held.lead_id = scored.lead_id and held.scoring_moment = scored.scoring_moment') }}
{%- endmacro %}

{#- The start of this refresh as a SQL timestamp, when only rows loaded since then need checking in
    `relation`; none when every row does. -#}
{% macro new_rows_since(relation) -%}
    {%- if not holds_columns(relation, ['loaded_at']) -%}{{ return(none) }}{%- endif -%}
    {{ return(refresh_started_at(relation)) }}
{%- endmacro %}

{#- The start of this refresh as a SQL timestamp, when the rows this run did not write were checked
    by a build with the same inputs; none when every row needs checking. -#}
{% macro refresh_started_at(relation) -%}
    {%- if not execute or flags.FULL_REFRESH -%}{{ return(none) }}{%- endif -%}
    {%- for table in ['_build_runs', '_build_inputs'] -%}
        {%- if adapter.get_relation(database=relation.database, schema='raw', identifier=table) is none -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select (select cast(max(started_at) as " ~ api.Column.translate_type('string') ~ ") from raw._build_runs),"
        ~ " (select max(inputs_fingerprint) from raw._build_inputs)"
    ) -%}
    {%- set started, passed_with = found.rows[0][0], found.rows[0][1] -%}
    {%- if started is none or passed_with != build_inputs_fingerprint(with_tests=true) -%}{{ return(none) }}{%- endif -%}
    {{ return("cast('" ~ started ~ "' as timestamp)") }}
{%- endmacro %}

{#- on-run-end: a `dbt build` that ran every data test and in which every node passed records its
    inputs; the next refresh with the same inputs checks new rows only. Any other command, a partial
    selection or a failure forgets them. -#}
{% macro record_build_inputs(results) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {#- dbt build lists exposures as skipped: they run nothing. -#}
    {%- set built = results | rejectattr('node.resource_type', 'equalto', 'exposure') | list -%}
    {%- set failed = built | rejectattr('status', 'in', ['success', 'pass']) | list -%}
    {%- set tests_ran = results | selectattr('node.resource_type', 'equalto', 'test') | list -%}
    {%- set tests = graph.nodes.values() | selectattr('resource_type', 'equalto', 'test') | list -%}
    {%- if flags.WHICH == 'build' and not failed and tests_ran | length == tests | length -%}
        {#- One statement per call: Spark runs no more, and has no create or replace on Parquet. -#}
        {%- do run_query('create schema if not exists raw') -%}
        {%- do run_query('drop table if exists raw._build_inputs') -%}
        create table raw._build_inputs as
        select cast('{{ build_inputs_fingerprint(with_tests=true) }}' as {{ api.Column.translate_type('string') }}) as inputs_fingerprint
    {%- else -%}
        drop table if exists raw._build_inputs
    {%- endif -%}
{%- endmacro %}
