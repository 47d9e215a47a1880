{#-
    Exact quantiles with linear interpolation (PERCENTILE_CONT semantics) as `double` on both engines.

    DuckDB: quantile_cont; Spark: percentile (exact, not percentile_approx). The input is cast to double
    (DuckDB would otherwise return a DECIMAL for DECIMAL input). `p` is a literal between 0 and 1. Nulls are
    ignored; no rows (or only nulls) give null. Both work as window functions (`... over (partition by ...)`).
    Spark's percentile keeps every value of a group in memory: fine for per-day or per-deployment groups,
    not for a billion-row global median.
-#}

{% macro percentile(expr, p) %}
    {% if not (0 <= (p | float) <= 1) %}
        {{ exceptions.raise_compiler_error("percentile: p must be a literal between 0 and 1, got " ~ p) }}
    {% endif %}
    {{ return(adapter.dispatch('percentile', 'aoai_finops')(expr, p)) }}
{% endmacro %}

{% macro default__percentile(expr, p) -%}
    quantile_cont(cast({{ expr }} as double), {{ p }})
{%- endmacro %}

{% macro spark__percentile(expr, p) -%}
    percentile(cast({{ expr }} as double), {{ p }})
{%- endmacro %}

{% macro median(expr) %}
    {{ return(aoai_finops.percentile(expr, 0.5)) }}
{% endmacro %}
