{#-
    try_cast(expr, type): cast, or null when the value does not convert (never an error).

    dbt.safe_cast is a plain cast on DuckDB (it raises on 'abc' -> double) and on Spark relies on ANSI mode
    being off (dbt-spark's session forces it off; Databricks SQL warehouses have it on). Both engines have
    TRY_CAST, so this macro is the same SQL on both; it exists so that other adapters can override it.
    `type` is a type name both engines know: string, double, bigint, integer, boolean, date, timestamp,
    decimal(p,s). Difference that remains: '1.5' -> bigint is 2 on DuckDB (rounded) and null on Spark (cast
    to double and round() yourself). Both trim spaces around numbers and give null for 2024-02-30.
-#}
{% macro try_cast(expr, type) %}
    {{ return(adapter.dispatch('try_cast', 'aoai_finops')(expr, type)) }}
{% endmacro %}

{% macro default__try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
