{#- Snapshots on Spark with plain Parquet tables. dbt-spark's own snapshot needs MERGE, which only
    Delta, Iceberg or Hudi tables have (their jars are not part of pyspark). This one computes the
    next version of the snapshot from dbt's change rows (dbt's snapshot_staging_table: new versions to
    insert, old versions to close) into a side table, then overwrites the snapshot with it: the same
    rows MERGE would leave, on any file format. -#}
{% materialization snapshot, adapter='spark' %}
    {%- set target_relation = api.Relation.create(schema=model.schema, identifier=model.alias, type='table') -%}
    {%- set existing = adapter.get_relation(database=none, schema=model.schema, identifier=model.alias) -%}
    {%- set strategy = strategy_dispatch(config.get('strategy'))(
        model, "snapshotted_data", "source_data", model['config'], existing is not none) -%}
    {% do create_schema(target_relation.without_identifier()) %}
    {{ run_hooks(pre_hooks) }}
    {%- if existing is none -%}
        {% call statement('main') -%}
            {{ create_table_as(False, target_relation, build_snapshot_table(strategy, model['compiled_code'])) }}
        {%- endcall %}
    {%- else -%}
        {%- set next_relation = target_relation.incorporate(path={"identifier": model.alias ~ '__dbt_next'}) -%}
        {% do adapter.drop_relation(next_relation) %}
        {#- A table of Spark's own folder: location_root would give it the snapshot's. -#}
        {% call statement('next_version') -%}
            create table {{ next_relation }} using parquet as
            {{ snapshot_next_version_sql(
                target_relation, snapshot_staging_table(strategy, model['compiled_code'], target_relation)) }}
        {%- endcall %}
        {% call statement('main') -%}
            insert overwrite table {{ target_relation }} select * from {{ next_relation }}
        {%- endcall %}
        {% do adapter.drop_relation(next_relation) %}
    {%- endif -%}
    {{ run_hooks(post_hooks) }}
    {{ adapter.commit() }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- Every row of the snapshot, the current versions that changed closed (valid_to set), then the new
    versions; columns in the snapshot's order, so the overwrite lines up. -#}
{% macro snapshot_next_version_sql(target_relation, changes_sql) -%}
    {%- set names = get_snapshot_table_column_names() -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}
    with changes as (
        {{ changes_sql }}
    ),

    closed as (
        select {{ names.dbt_scd_id }} as closed_scd_id, {{ names.dbt_valid_to }} as closed_at
        from changes
        where dbt_change_type in ('update', 'delete')
    )

    select
        {%- for column in columns %}
        {% if column == names.dbt_valid_to -%}
            case when snapshot.{{ column }} is null then closed.closed_at else snapshot.{{ column }} end
        {%- else -%}
            snapshot.{{ column }}
        {%- endif %} as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ target_relation }} as snapshot
    left join closed on snapshot.{{ names.dbt_scd_id }} = closed.closed_scd_id

    union all

    select {{ columns | join(', ') }}
    from changes
    where dbt_change_type = 'insert'
{%- endmacro %}
