{#-
    incremental_by_partition(partition_column): the incremental config that replaces whole partitions (a
    billing month) on every engine. Use it with `config(**...)`:

        {{ config(materialized='incremental', **aoai_finops.incremental_by_partition('billing_month')) }}

    and, in the model, select on incremental runs only the partitions to rebuild, complete:

        {% if is_incremental() %} where billing_month in (...months with new lake data...) {% endif %}

    - DuckDB: `delete+insert` keyed on the partition column (deletes those months, inserts the new rows).
    - Spark: `insert_overwrite` with `partition_by` (dbt-spark switches the session to dynamic partition
      overwrite, so only the months selected are replaced; without partition_by it would replace the whole
      table). Spark stores partition columns last, so the table's column order differs from the select's:
      read columns by name downstream, never by position. Tested on both (make spark-test / fixture-test).
    - Databricks (Delta, not run here): spark__ applies; `replace_where` is the Delta-native alternative.
-#}
{% macro incremental_by_partition(partition_column) %}
    {{ return(adapter.dispatch('incremental_by_partition', 'aoai_finops')(partition_column)) }}
{% endmacro %}

{% macro default__incremental_by_partition(partition_column) %}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': partition_column}) }}
{% endmacro %}

{% macro spark__incremental_by_partition(partition_column) %}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': [partition_column]}) }}
{% endmacro %}

{#-
    delete_partitions(relation, partition_column, values): the statement that removes whole partitions of a table
    built with incremental_by_partition (used by remove_billing_months).
    - DuckDB: delete of the rows.
    - Spark: alter table ... drop partition (Parquet tables partitioned by the column).
-#}
{% macro delete_partitions(relation, partition_column, values) %}
    {{ return(adapter.dispatch('delete_partitions', 'aoai_finops')(relation, partition_column, values)) }}
{% endmacro %}

{% macro default__delete_partitions(relation, partition_column, values) %}
    {%- set literals = [] %}
    {%- for value in values %}{% do literals.append(aoai_finops.sql_string_literal(value)) %}{% endfor %}
    {{ return('delete from ' ~ relation ~ ' where ' ~ partition_column ~ ' in (' ~ literals | join(', ') ~ ')') }}
{% endmacro %}

{% macro spark__delete_partitions(relation, partition_column, values) %}
    {%- set specs = [] %}
    {%- for value in values %}
        {%- do specs.append('partition (' ~ partition_column ~ ' = ' ~ aoai_finops.sql_string_literal(value) ~ ')') %}
    {%- endfor %}
    {{ return('alter table ' ~ relation ~ ' drop if exists ' ~ specs | join(', ')) }}
{% endmacro %}

{#-
    empty_table(relation): the statement (or, on DuckDB, the committed action) that removes every row of a table
    incremental_by_partition() builds, before an incremental build that refills it all (a table built before it
    had its partition column). DuckDB refuses to alter a table (the columns the build appends) in a transaction
    that already deleted from it, so there the rows go in a transaction of their own and the hook returns nothing.
-#}
{% macro empty_table(relation) %}
    {{ return(adapter.dispatch('empty_table', 'aoai_finops')(relation)) }}
{% endmacro %}

{% macro default__empty_table(relation) %}
    {{ return('truncate table ' ~ relation) }}
{% endmacro %}

{% macro duckdb__empty_table(relation) %}
    {%- do run_query('truncate table ' ~ relation) %}
    {%- do adapter.commit() %}
    {{ return('') }}
{% endmacro %}

{#-
    builds_months_in_place(): whether a model incremental_by_billing_month() builds writes the months it rebuilds
    itself, in its post-hook (delete them, insert its rows of them), and with one_month_at_a_time=true one
    statement per month.
    - DuckDB: yes. dbt-duckdb's incremental materialization writes the new rows to a temporary table, then copies
      them into the table: every rebuilt row written twice. And DuckDB holds a hash join's build side in memory and
      spills the rest to disk, so a month at a time bounds both.
    - Spark: no. insert_overwrite replaces the partitions its statement selects, written once, and sort-merge joins
      already stream.
-#}
{% macro builds_months_in_place() %}
    {{ return(adapter.dispatch('builds_months_in_place', 'aoai_finops')()) }}
{% endmacro %}

{% macro default__builds_months_in_place() %}
    {{ return(false) }}
{% endmacro %}

{% macro duckdb__builds_months_in_place() %}
    {{ return(true) }}
{% endmacro %}
