{#-
    Descriptive attributes (names, regions, families) of the entities a fine-grained aggregate mentions, one row
    per entity and key, instead of max(<attribute>) in the aggregate itself.

    Why: DuckDB keeps the strings of string aggregate states (max, min, any_value of a string) outside its
    memory_limit, one per group. In an aggregate with millions of groups (a row per account, meter and day)
    that is gigabytes no limit bounds: at 20M export rows, fct_ai_token_costs_daily went 3 GB over its 4 GB limit.
    Grouped by the entity instead (an account, a resource per day), there are few groups; the aggregate joins
    them back with entity_attributes_join().

    entity_attributes(relation, keys, attributes): `select <keys>, max(<attribute>) as <attribute>, ... from
    <relation> group by <keys>`, a subquery body for a CTE named after the entity.
-#}
{% macro entity_attributes(relation, keys, attributes) %}
    select
        {{ keys | join(',\n        ') }},
        {%- for attribute in attributes %}
        max({{ attribute }}) as {{ attribute }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- entity_attributes_join(left, right, keys): the join condition of a row of `left` with its entity in `right`
    (keys may be null: a null key matches the null entity, as group by put it). -#}
{% macro entity_attributes_join(left, right, keys) %}
    {%- set conditions = [] %}
    {%- for key in keys %}
        {%- do conditions.append(left ~ '.' ~ key ~ ' is not distinct from ' ~ right ~ '.' ~ key) %}
    {%- endfor %}
    {{- conditions | join('\n            and ') }}
{%- endmacro %}
