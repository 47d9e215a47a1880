{#-
    JSON held in string columns (Tags, SkuPriceDetails, lake_extra_columns, ...).

    Both engines return null, not an error, for a null, empty or malformed document (DuckDB's own functions
    raise on malformed JSON, so default__ checks json_valid first). Values come back as text: strings
    unquoted, numbers and booleans as JSON writes them (1.50 -> '1.5'), objects and arrays as JSON text,
    JSON null as SQL null.
-#}

{#- json_extract_string(json, key): the value at `key`, a literal key name (or a list of them for a nested
    path: ['a', 'b'] is json.a.b); keys may hold any character except quotes and backslashes. -#}
{% macro json_extract_string(json, key) %}
    {% set keys = [key] if key is string else key %}
    {% for k in keys %}
        {% if '"' in k or "'" in k or '\\' in k %}
            {{ exceptions.raise_compiler_error("json_extract_string: key " ~ k ~ " holds a quote or a backslash") }}
        {% endif %}
    {% endfor %}
    {{ return(adapter.dispatch('json_extract_string', 'aoai_finops')(json, keys)) }}
{% endmacro %}

{% macro default__json_extract_string(json, keys) -%}
    {%- set path = '$."' ~ (keys | join('"."')) ~ '"' -%}
    case when json_valid({{ json }}) then json_extract_string({{ json }}, '{{ path }}') end
{%- endmacro %}

{% macro spark__json_extract_string(json, keys) -%}
    {#- Bracket notation, whose quotes are escaped inside the SQL literal: '$[\'a\'][\'b\']' -#}
    {%- set path = "$[\\'" ~ (keys | join("\\'][\\'")) ~ "\\']" -%}
    get_json_object({{ json }}, '{{ path }}')
{%- endmacro %}

{#- json_object_from_pairs(pairs): a JSON object string from [(key, value_sql), ...] in that order. Keys are
    literal strings; values are SQL expressions, written as JSON strings (cast to string first) or null, so
    the text is the same on both engines: json_object_from_pairs([('team', 'team_col'), ('n', '1')]) gives
    {"team":"search","n":"1"}. -#}
{% macro json_object_from_pairs(pairs) %}
    {% if pairs | length == 0 %}
        {{ exceptions.raise_compiler_error("json_object_from_pairs: give at least one (key, value) pair") }}
    {% endif %}
    {{ return(adapter.dispatch('json_object_from_pairs', 'aoai_finops')(pairs)) }}
{% endmacro %}

{% macro default__json_object_from_pairs(pairs) -%}
    cast(json_object(
        {%- for key, value in pairs %}
        {{ aoai_finops.sql_string_literal(key) }}, cast({{ value }} as varchar){{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{% macro spark__json_object_from_pairs(pairs) -%}
    to_json(map(
        {%- for key, value in pairs %}
        {{ aoai_finops.sql_string_literal(key) }}, cast({{ value }} as string){{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{#- tags_to_rows(relation, json_column, columns=none, key_name='tag_key', value_name='tag_value', outer=false):
    a complete SELECT (use it as a CTE body) with one row per key of the JSON object in `json_column` of
    `relation` (a CTE name or a ref()/source()): the `columns` you list (default: all columns of the
    relation), plus `key_name` and `value_name`.

        tag_rows as (
            {{ aoai_finops.tags_to_rows('costs', 'tags_json', ['charge_id', 'effective_cost']) }}
        )

    Rows whose JSON is null, empty, malformed or not an object give no rows, or one row with null key and
    value when outer=true. Keys keep their case (Azure tag keys are case-insensitive: lower() them yourself).
    Row order is not defined. A document that repeats a key gives one row per occurrence on DuckDB and only
    the last one on Spark. -#}
{% macro tags_to_rows(relation, json_column, columns=none, key_name='tag_key', value_name='tag_value', outer=false) %}
    {{ return(adapter.dispatch('tags_to_rows', 'aoai_finops')(relation, json_column, columns, key_name, value_name, outer)) }}
{% endmacro %}

{% macro default__tags_to_rows(relation, json_column, columns, key_name, value_name, outer) -%}
    select
        {% if columns is none %}tags_src.*{% else %}{% for c in columns %}tags_src.{{ c }}{{ ',' if not loop.last }}{% endfor %}{% endif %},
        tags_kv.key as {{ key_name }},
        tags_kv.value ->> '$' as {{ value_name }}
    from {{ relation }} as tags_src
    {{ 'left join' if outer else 'inner join' }} lateral json_each(
        case
            when json_valid(tags_src.{{ json_column }}) and json_type(tags_src.{{ json_column }}) = 'OBJECT'
                then tags_src.{{ json_column }}
        end
    ) as tags_kv on true
{%- endmacro %}

{% macro spark__tags_to_rows(relation, json_column, columns, key_name, value_name, outer) -%}
    select
        {% if columns is none %}tags_src.*{% else %}{% for c in columns %}tags_src.{{ c }}{{ ',' if not loop.last }}{% endfor %}{% endif %},
        tags_kv.{{ key_name }},
        tags_kv.{{ value_name }}
    from {{ relation }} as tags_src
    lateral view {{ 'outer ' if outer }}explode(from_json(tags_src.{{ json_column }}, 'map<string,string>')) tags_kv
        as {{ key_name }}, {{ value_name }}
{%- endmacro %}
