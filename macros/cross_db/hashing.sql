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

{#- hash_sum(expr): an aggregate that fingerprints the rows of a group whatever their order: the sum of a 64-bit
    hash of `expr` (a string, e.g. a surrogate_key() of the row), as a string. Equal rows give an equal value on
    one engine; any changed, added or removed row changes it (up to 64-bit hash collisions). The engines hash
    differently, so compare values from the same engine only. -#}
{% macro hash_sum(expr) %}
    {{ return(adapter.dispatch('hash_sum', 'aoai_finops')(expr)) }}
{% endmacro %}

{% macro default__hash_sum(expr) -%}
    cast(sum(hash({{ expr }})) as varchar)
{%- endmacro %}

{% macro spark__hash_sum(expr) -%}
    cast(sum(cast(xxhash64({{ expr }}) as decimal(38, 0))) as string)
{%- endmacro %}
