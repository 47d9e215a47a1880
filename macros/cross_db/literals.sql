{#-
    sql_string_literal(value): a Jinja/Python string as a SQL string literal that means exactly `value`.

    DuckDB: `'` doubled, `\` is an ordinary character. Spark: `\` is the escape character in string literals
    (`'\d'` is `d`, `'a\'b'` is `a'b`), so `\` and `'` are backslash-escaped. Use it whenever a macro or model
    writes a constant string that may hold `'` or `\`; regex patterns belong in seeds, not literals.
-#}
{% macro sql_string_literal(value) %}
    {{ return(adapter.dispatch('sql_string_literal', 'aoai_finops')(value)) }}
{% endmacro %}

{% macro default__sql_string_literal(value) %}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}

{% macro spark__sql_string_literal(value) %}
    {{ return("'" ~ aoai_finops.spark_string_escape(value | string) ~ "'") }}
{% endmacro %}

{#- Escape a value for the inside of a Spark SQL string literal (`\` first, then `'`). -#}
{% macro spark_string_escape(value) %}
    {{ return(value | string | replace('\\', '\\\\') | replace("'", "\\'")) }}
{% endmacro %}
