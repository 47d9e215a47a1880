{#-
    Unit test fixtures as one inline table on Spark. dbt writes a fixture as one `select ... union all` branch
    per row; Spark's analyser and optimiser work on every branch, and a model that reads a fixture several times
    (int_ai_meters_classified reads the 148 pattern rows in five places) took about three minutes per unit test to
    plan. A `values` inline table is a single LocalRelation: the same rows, the same casts (dbt's format_row), the
    same column names, planned in well under a second. Other adapters keep dbt's own macros.
-#}
{% macro get_fixture_sql(rows, column_name_to_data_types) %}
    {%- if target.type in ['spark', 'databricks', 'fabricspark'] and rows | length > 1 -%}
        {{ aoai_finops.spark_values_fixture_sql(rows) }}
    {%- else -%}
        {{ dbt.get_fixture_sql(rows, column_name_to_data_types) }}
    {%- endif -%}
{% endmacro %}

{% macro get_expected_sql(rows, column_name_to_data_types, column_name_to_quoted) %}
    {%- if target.type in ['spark', 'databricks', 'fabricspark'] and rows | length > 1 -%}
        {{ aoai_finops.values_sql(rows, column_name_to_data_types, column_name_to_quoted, none) }}
    {%- else -%}
        {{ dbt.get_expected_sql(rows, column_name_to_data_types, column_name_to_quoted) }}
    {%- endif -%}
{% endmacro %}

{% macro spark_values_fixture_sql(rows) %}
-- Fixture for {{ model.name }}
{%- set relation = defer_relation if (defer_relation and not load_relation(this)) else this -%}
{%- set column_name_to_data_types = {} -%}
{%- set column_name_to_quoted = {} -%}
{%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- do column_name_to_data_types.update({column.name | lower: column.data_type}) -%}
    {%- do column_name_to_quoted.update({column.name | lower: column.quoted}) -%}
{%- endfor -%}
{%- if not column_name_to_data_types -%}
    {{ exceptions.raise_compiler_error("Not able to get columns for unit test '" ~ model.name
        ~ "' from relation " ~ relation ~ " because the relation doesn't exist") }}
{%- endif -%}
{%- set default_row = {} -%}
{%- for column_name, column_type in column_name_to_data_types.items() -%}
    {%- do default_row.update({column_name: (safe_cast('null', column_type) | trim)}) -%}
{%- endfor %}
{{ aoai_finops.values_sql(rows, column_name_to_data_types, column_name_to_quoted, default_row) }}
{% endmacro %}

{#- `select * from values (...), (...) as fixture(col, ...)`: every row formatted by dbt's format_row; with a
    default_row, columns a row leaves out are typed nulls (fixture inputs), without one the columns of the first
    row (expected rows: dbt requires the same columns in each). -#}
{% macro values_sql(rows, column_name_to_data_types, column_name_to_quoted, default_row) %}
{%- set formatted_rows = [] -%}
{%- for row in rows -%}
    {%- set formatted_row = format_row(row, column_name_to_data_types) -%}
    {%- if default_row is not none -%}
        {%- set full_row = default_row.copy() -%}
        {%- do full_row.update(formatted_row) -%}
        {%- do formatted_rows.append(full_row) -%}
    {%- else -%}
        {%- do formatted_rows.append(formatted_row) -%}
    {%- endif -%}
{%- endfor -%}
{%- set column_names = formatted_rows[0].keys() | list -%}
select * from values
{%- for row in formatted_rows %}
    ({% for column_name in column_names %}{{ row[column_name] }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- if not loop.last %},{% endif %}
{%- endfor %}
as fixture({% for column_name in column_names %}{{ column_name_to_quoted[column_name] }}{% if not loop.last %}, {% endif %}{% endfor %})
{% endmacro %}
