{#-
    Override of dbt-duckdb's duckdb__load_csv_rows (dbt-duckdb 1.11.1) that pins the CSV dialect.

    dbt-duckdb's fast seed path runs `COPY ... FROM '<seed>.csv' (FORMAT CSV, HEADER TRUE, DELIMITER ',')`
    and lets DuckDB's sniffer guess the quote and escape characters: a cell written 'like this' (a regex
    between single quotes, say) loses its quotes, while dbt's own CSV reader (agate, used for column types and
    by every other adapter) keeps them. Pinning RFC 4180 (quote and escape `"`) makes DuckDB read a seed
    exactly as agate and Spark do. The slow path (`+fast: false`) is dbt-duckdb's, unchanged.
-#}
{% macro duckdb__load_csv_rows(model, agate_table) %}
    {% if config.get('fast', true) %}
        {% set seed_file_path = adapter.get_seed_file_path(model) %}
        {% set delimiter = config.get('delimiter', ',') %}
        {% set sql %}
          COPY {{ this.render() }} FROM '{{ seed_file_path }}'
          (FORMAT CSV, HEADER TRUE, DELIMITER '{{ delimiter }}', QUOTE '"', ESCAPE '"')
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {{ return(sql) }}
    {% endif %}

    {% set batch_size = get_batch_size() %}
    {% set agate_table = adapter.convert_datetimes_to_strs(agate_table) %}
    {% set cols_sql = get_seed_column_quoted_csv(model, agate_table.column_names) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set bindings = [] %}
        {% for row in chunk %}
            {% do bindings.extend(row) %}
        {% endfor %}
        {% set sql %}
            insert into {{ this.render() }} ({{ cols_sql }}) values
            {% for row in chunk -%}
                ({%- for column in agate_table.column_names -%}
                    {{ get_binding_char() }}
                    {%- if not loop.last%},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last%},{%- endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
