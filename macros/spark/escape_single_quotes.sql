{#-
    Override of dbt-spark's spark__escape_single_quotes, which escapes `'` but not `\`.

    Spark string literals treat `\` as an escape character (`'\d'` is `d`), so a value containing a backslash
    (a regex in a unit test fixture, a Windows path) changed on its way in. dbt uses this macro to quote the
    string values of unit test fixtures (`given` / `expect` rows). Escaping `\` first keeps every value
    byte-for-byte, as on DuckDB. (dbt dispatches `escape_single_quotes` in the `dbt` namespace, where a root
    project macro wins over the adapter's own.)
-#}
{% macro spark__escape_single_quotes(expression) -%}
{{ expression | replace('\\', '\\\\') | replace("'", "\\'") }}
{%- endmacro %}
