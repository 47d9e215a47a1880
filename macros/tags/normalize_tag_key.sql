{#-
    normalize_tag_key(expr): a tag key folded to the form seed tag_key_aliases stores: lower case, without
    '-', '_', spaces or '.', so `cost-center`, `CostCenter`, `cost_center` and `Cost Center` all read
    `costcenter`. Azure tag keys are case-insensitive and teams spell separators as they like.
-#}
{% macro normalize_tag_key(expr) -%}
    replace(replace(replace(replace(lower(trim({{ expr }})), '-', ''), '_', ''), ' ', ''), '.', '')
{%- endmacro %}
