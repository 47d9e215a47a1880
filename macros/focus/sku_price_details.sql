{#-
    sku_price_details(pairs, optional=['ModelVersion', 'TokenCacheAction']): SkuPriceDetails as a JSON object of
    (key, value_sql) pairs, in the FOCUS AI draft's shape: a key in `optional` whose value is null is left out
    (output tokens have no cache action, some meters name no model version) rather than written as null.
    Built with json_object_from_pairs, so the text is the same on every engine: one branch per combination of
    present optional keys.
-#}
{% macro sku_price_details(pairs, optional=['ModelVersion', 'TokenCacheAction']) -%}
    {%- set values = dict(pairs) -%}
    {%- set optional_keys = optional | select('in', values.keys() | list) | list -%}
    case
    {%- for mask in range(2 ** (optional_keys | length)) %}
        {%- set present = [] -%}
        {%- set conditions = [] -%}
        {%- for key in optional_keys -%}
            {%- if (mask // (2 ** loop.index0)) % 2 == 1 -%}
                {%- do present.append(key) -%}
                {%- do conditions.append(values[key] ~ ' is not null') -%}
            {%- else -%}
                {%- do conditions.append(values[key] ~ ' is null') -%}
            {%- endif -%}
        {%- endfor %}
        when {{ conditions | join(' and ') }} then {{ aoai_finops.json_object_from_pairs(
            pairs | rejectattr(0, 'in', optional_keys | reject('in', present) | list) | list
        ) }}
    {%- endfor %}
    end
{%- endmacro %}
