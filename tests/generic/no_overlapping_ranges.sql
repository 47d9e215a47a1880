{#-
    Fails on every pair of rows with the same key whose [from, to) ranges overlap. `to` is exclusive and
    null means open-ended. Key columns compare null-safely (null equals null).
-#}
{% test no_overlapping_ranges(model, key_columns, from_column, to_column) %}

with ranges as (
    select
        {% for column in key_columns -%}
        coalesce(cast({{ column }} as {{ dbt.type_string() }}), '(null)') as key_{{ loop.index }},
        {% endfor -%}
        {{ from_column }} as range_from,
        {{ to_column }} as range_to,
        row_number() over (order by {{ from_column }}) as range_id
    from {{ model }}
)

select
    a.*,
    b.range_from as other_range_from,
    b.range_to as other_range_to
from ranges as a
inner join ranges as b
    on
        {% for column in key_columns -%}
        a.key_{{ loop.index }} = b.key_{{ loop.index }}
        and {% endfor -%}
        a.range_id < b.range_id
where
    (a.range_to is null or b.range_from < a.range_to)
    and (b.range_to is null or a.range_from < b.range_to)

{% endtest %}
