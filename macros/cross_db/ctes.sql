{#-
    inline_cte(): put between `<name> as` and `(` of a CTE over many wide rows that a model reads more than once:
    `with labelled as {{ aoai_finops.inline_cte() }} (select ...)`.

    DuckDB materialises every CTE referenced more than once: the whole relation, every column, held in memory
    and spilled to disk (a 5M-row build spilled 5.8 GB writing int_cost_rows_unioned). `not materialized`
    inlines it like a view, so each reader scans only the columns it needs. Spark (and databricks, fabricspark)
    inlines deterministic CTEs anyway and has no such keyword: nothing.

    Only in tables and incremental models: DuckDB drops the keyword when it stores a view, so a view must not
    read a wide CTE twice at all (int_cost_rows_normalized reads the table again instead).
-#}
{% macro inline_cte() %}
    {{ return(adapter.dispatch('inline_cte', 'aoai_finops')()) }}
{% endmacro %}

{% macro default__inline_cte() %}
    {{ return('not materialized') }}
{% endmacro %}

{% macro spark__inline_cte() %}
    {{ return('') }}
{% endmacro %}
