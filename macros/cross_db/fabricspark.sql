{#-
    Microsoft Fabric Spark (dbt-fabricspark, `type: fabricspark`): use the Spark implementations.

    dbt-databricks declares dbt-spark as its parent adapter, so adapter.dispatch falls back from databricks__ to
    spark__ by itself. Microsoft's dbt-fabricspark does not, so without these shims dispatch would fall to
    default__, the DuckDB SQL. NOT RUN here (no Fabric workspace): see docs/portability.md.
-#}
{% macro fabricspark__register_lake_table(relation, lake, folder) %}{{ return(aoai_finops.spark__register_lake_table(relation, lake, folder)) }}{% endmacro %}
{% macro fabricspark__sql_string_literal(value) %}{{ return(aoai_finops.spark__sql_string_literal(value)) }}{% endmacro %}
{% macro fabricspark__regex_matches(value, pattern) %}{{ return(aoai_finops.spark__regex_matches(value, pattern)) }}{% endmacro %}
{% macro fabricspark__regex_extract(value, pattern, group=0) %}{{ return(aoai_finops.spark__regex_extract(value, pattern, group)) }}{% endmacro %}
{% macro fabricspark__regex_replace_all(value, pattern, replacement) %}{{ return(aoai_finops.spark__regex_replace_all(value, pattern, replacement)) }}{% endmacro %}
{% macro fabricspark__json_extract_string(json, keys) %}{{ return(aoai_finops.spark__json_extract_string(json, keys)) }}{% endmacro %}
{% macro fabricspark__json_object_from_pairs(pairs) %}{{ return(aoai_finops.spark__json_object_from_pairs(pairs)) }}{% endmacro %}
{% macro fabricspark__tags_to_rows(relation, json_column, columns, key_name, value_name, outer) %}{{ return(aoai_finops.spark__tags_to_rows(relation, json_column, columns, key_name, value_name, outer)) }}{% endmacro %}
{% macro fabricspark__percentile(expr, p) %}{{ return(aoai_finops.spark__percentile(expr, p)) }}{% endmacro %}
{% macro fabricspark__day_of_week_iso(date) %}{{ return(aoai_finops.spark__day_of_week_iso(date)) }}{% endmacro %}
{% macro fabricspark__month_string(date) %}{{ return(aoai_finops.spark__month_string(date)) }}{% endmacro %}
{% macro fabricspark__parse_timestamp(value, format) %}{{ return(aoai_finops.spark__parse_timestamp(value, format)) }}{% endmacro %}
{% macro fabricspark__current_timestamp_utc() %}{{ return(aoai_finops.spark__current_timestamp_utc()) }}{% endmacro %}
{% macro fabricspark__date_spine_days(start_date, end_date) %}{{ return(aoai_finops.spark__date_spine_days(start_date, end_date)) }}{% endmacro %}
{% macro fabricspark__string_agg_ordered(expr, delimiter, order_by, distinct) %}{{ return(aoai_finops.spark__string_agg_ordered(expr, delimiter, order_by, distinct)) }}{% endmacro %}
{% macro fabricspark__uuid() %}{{ return(aoai_finops.spark__uuid()) }}{% endmacro %}
{% macro fabricspark__hash_sum(expr) %}{{ return(aoai_finops.spark__hash_sum(expr)) }}{% endmacro %}
{% macro fabricspark__incremental_by_partition(partition_column) %}{{ return(aoai_finops.spark__incremental_by_partition(partition_column)) }}{% endmacro %}
{% macro fabricspark__inline_cte() %}{{ return(aoai_finops.spark__inline_cte()) }}{% endmacro %}
