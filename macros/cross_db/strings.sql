{#-
    string_agg_ordered(expr, delimiter, order_by=none, distinct=false): aggregate the non-null values of
    `expr` into one string, in a defined order.

    `delimiter` is a literal string; `order_by` is one SQL expression (default: the value itself), ascending.
    distinct=true drops duplicate values (only with the default order). dbt.listagg cannot be used for this:
    on Spark it ignores order_by_clause (with a warning), so its order is arbitrary.
    DuckDB: string_agg(... order by ...). Spark: collect_list of (order key, value) structs, array_sort,
    array_join (array_join skips nulls). Ties in `order_by` are ordered by the value on Spark and arbitrarily
    on DuckDB: make the key unique if it matters. An all-null group gives null on DuckDB and '' on Spark, so
    the Spark variant returns null there too.
-#}
{% macro string_agg_ordered(expr, delimiter, order_by=none, distinct=false) %}
    {% if distinct and order_by is not none %}
        {{ exceptions.raise_compiler_error("string_agg_ordered: distinct=true orders by the value; drop order_by") }}
    {% endif %}
    {{ return(adapter.dispatch('string_agg_ordered', 'aoai_finops')(expr, delimiter, order_by, distinct)) }}
{% endmacro %}

{% macro default__string_agg_ordered(expr, delimiter, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expr }}, {{ aoai_finops.sql_string_literal(delimiter) }} order by {{ order_by if order_by is not none else expr }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expr, delimiter, order_by, distinct) -%}
    {%- if distinct -%}
    nullif(array_join(array_sort(collect_set({{ expr }})), {{ aoai_finops.sql_string_literal(delimiter) }}), '')
    {%- elif order_by is none -%}
    nullif(array_join(array_sort(collect_list({{ expr }})), {{ aoai_finops.sql_string_literal(delimiter) }}), '')
    {%- else -%}
    case when count({{ expr }}) > 0 then array_join(
        transform(
            array_sort(collect_list(case when {{ expr }} is not null then struct({{ order_by }} as k, {{ expr }} as v) end)),
            kv -> kv.v
        ),
        {{ aoai_finops.sql_string_literal(delimiter) }}
    ) end
    {%- endif -%}
{%- endmacro %}
