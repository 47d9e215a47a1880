{#-
    is_json_object(value): true when the string `value` is a well-formed JSON object (`{}` included), false for
    malformed JSON, arrays, scalars and the empty string, null for null. For tests of Tags and SkuPriceDetails,
    which FOCUS wants as JSON objects (KeyValueFormat).
-#}
{% macro is_json_object(value) %}
    {{ return(adapter.dispatch('is_json_object', 'aoai_finops')(value)) }}
{% endmacro %}

{#- json_type raises on malformed JSON and `and` does not short-circuit: check validity first, in a case. -#}
{% macro default__is_json_object(value) -%}
    case
        when {{ value }} is null then null
        when json_valid({{ value }}) then json_type({{ value }}) = 'OBJECT'
        else false
    end
{%- endmacro %}

{#- Spark parses into a map: null for anything but an object (PERMISSIVE mode). -#}
{% macro spark__is_json_object(value) -%}
    case
        when {{ value }} is null then null
        else from_json({{ value }}, 'map<string,string>') is not null
    end
{%- endmacro %}

{% macro fabricspark__is_json_object(value) %}{{ return(aoai_finops.spark__is_json_object(value)) }}{% endmacro %}
