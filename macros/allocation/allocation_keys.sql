{#-
    Allocation keys: the columns a cost is allocated to (docs/allocation.md). A cost is allocated when it has
    every required key; the others are filled where a source knows them.
-#}

{#- The allocation keys, in the order the marts show them. -#}
{% macro allocation_keys() %}
    {{ return(['cost_center', 'application', 'team', 'environment']) }}
{% endmacro %}

{#- Keys without which a cost counts as unallocated: finance charges a cost center and an application. -#}
{% macro required_allocation_keys() %}
    {{ return(['cost_center', 'application']) }}
{% endmacro %}

{#- The value shown for a key no source knows. -#}
{% macro unallocated_value() %}
    {{ return("'unallocated'") }}
{% endmacro %}

{#- unpivot_allocation_keys(relation, id_columns, key_source): one row per row of `relation` and allocation key,
    (id_columns..., key_source, allocation_key, key_value), from a relation with one column per allocation key
    (the mapping seeds). Empty values are dropped. -#}
{% macro unpivot_allocation_keys(relation, id_columns, key_source) %}
    {%- for key in allocation_keys() %}
    select
        {% for column in id_columns %}{{ column }},
        {% endfor -%}
        '{{ key_source }}' as key_source,
        '{{ key }}' as allocation_key,
        nullif(trim({{ key }}), '') as key_value
    from {{ relation }}
    where nullif(trim({{ key }}), '') is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- pick_allocation_keys(candidates, entity_columns): per entity, the value of each allocation key from the
    candidate with the lowest precedence (ties: the smallest value), with value aliases applied
    (seed allocation_key_value_aliases, case-insensitive). `candidates` has the entity columns and
    `allocation_key`, `precedence`, `key_value`. Returns the entity columns and, per key, `<key>` and
    `<key>_precedence`; entities without any candidate are absent (left join to them). -#}
{% macro pick_allocation_keys(candidates, entity_columns) %}
select
    {% for column in entity_columns %}ranked.{{ column }},
    {% endfor -%}
    {%- for key in allocation_keys() %}
    max(case when ranked.allocation_key = '{{ key }}' then ranked.key_value end) as {{ key }},
    max(case when ranked.allocation_key = '{{ key }}' then ranked.precedence end) as {{ key }}_precedence
    {{- ',' if not loop.last }}
    {%- endfor %}
from (
    select
        {% for column in entity_columns %}aliased.{{ column }},
        {% endfor -%}
        aliased.allocation_key,
        aliased.precedence,
        aliased.key_value,
        row_number() over (
            partition by {% for column in entity_columns %}aliased.{{ column }}, {% endfor %}aliased.allocation_key
            order by aliased.precedence asc, aliased.key_value asc
        ) as key_rank
    from (
        select
            {% for column in entity_columns %}cand.{{ column }},
            {% endfor -%}
            cand.allocation_key,
            cand.precedence,
            coalesce(aliases.canonical_value, trim(cand.key_value)) as key_value
        from {{ candidates }} as cand
        left join {{ ref('allocation_key_value_aliases') }} as aliases
            on
                cand.allocation_key = aliases.allocation_key
                and lower(trim(cand.key_value)) = lower(trim(aliases.source_value))
        where nullif(trim(cand.key_value), '') is not null
    ) as aliased
) as ranked
where ranked.key_rank = 1
group by {% for column in entity_columns %}ranked.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
{% endmacro %}

{#- json_number(expression, scale): a number as JSON text with `scale` decimals, the same on every engine
    (engines print doubles differently: 1e-05 vs 1.0E-5); null stays null. -#}
{% macro json_number(expression, scale=12) %}
    cast(cast(round({{ expression }}, {{ scale }}) as decimal(38, {{ scale }})) as {{ dbt.type_string() }})
{%- endmacro %}
