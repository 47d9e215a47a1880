{#-
    Override of dbt-spark's spark__load_csv_rows for `method: session`.

    dbt-spark inserts seed rows with `%s` bindings, and its session connection formats them into the SQL as
    `'<value>'` without any escaping: a seed value with `'` breaks the insert, a `\` is eaten by Spark's string
    literal escapes (a `\d` regex in a seed arrives as `d`), and an empty cell (None) arrives as the string
    'None' in string columns. Here every value is written as a properly escaped literal (or null) and cast to
    the column type, which is correct for every Spark connection method. dbt-databricks has its own
    databricks__load_csv_rows, which dispatch picks before this one.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set batch_size = get_batch_size() %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set column_types = [] %}
    {% for col_name in agate_table.column_names %}
        {% do column_types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) %}
    {% endfor %}

    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ aoai_finops.spark_literal(value) }} as {{ column_types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}

    {# Return SQL so we can render it out into the compiled files #}
    {{ return(statements[0]) }}
{% endmacro %}

{#- A Python value from a seed row as a Spark SQL literal: null, or a string literal with `\` and `'` escaped. -#}
{% macro spark_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- else -%}
        {{ return("'" ~ aoai_finops.spark_string_escape(value | string) ~ "'") }}
    {%- endif -%}
{% endmacro %}
