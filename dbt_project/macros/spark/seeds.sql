{#- Seeds on Spark: dbt-spark's session method puts each value into the insert with Python's `%`, so an
    empty cell arrives as the text 'None' and an apostrophe ends the string. Each value is written
    here as a literal instead: empty cells are null, text is quoted and escaped for Spark SQL. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set column_type = column_override.get(agate_table.column_names[loop.index0], adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ spark_seed_literal(value) }} as {{ column_type }}){{ "," if not loop.last }}
                {%- endfor -%}){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        {{ escaped_string_literal(value | string) }}
    {%- endif -%}
{%- endmacro %}
