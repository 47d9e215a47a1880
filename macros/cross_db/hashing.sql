{#-
    surrogate_key(fields): md5 hex (32 lowercase characters) of the fields cast to string, separated by '-',
    nulls as '_dbt_utils_surrogate_key_null_' (dbt_utils.generate_surrogate_key's convention). Same key on
    both engines for strings, integers, dates, timestamps and booleans. NOT for double columns: the engines
    write doubles as text differently (1e-05 vs 1.0E-5), so round / cast them to decimal or bigint first.
-#}
{% macro surrogate_key(fields) %}
    {% if fields is string %}{% set fields = [fields] %}{% endif %}
    {% set parts = [] %}
    {% for field in fields %}
        {% do parts.append("coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_dbt_utils_surrogate_key_null_')") %}
        {% if not loop.last %}{% do parts.append("'-'") %}{% endif %}
    {% endfor %}
    {{ return(dbt.hash(dbt.concat(parts))) }}
{% endmacro %}

{#- uuid(): a random UUID as a 36-character string (DuckDB's uuid() is of type UUID). -#}
{% macro uuid() %}
    {{ return(adapter.dispatch('uuid', 'aoai_finops')()) }}
{% endmacro %}

{% macro default__uuid() -%}
    cast(uuid() as varchar)
{%- endmacro %}

{% macro spark__uuid() -%}
    uuid()
{%- endmacro %}
