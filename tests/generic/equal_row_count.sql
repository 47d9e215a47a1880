{#- Fails when the model and `compare_model` have a different number of rows (nothing dropped, nothing doubled). -#}
{% test equal_row_count(model, compare_model) %}

with counts as (
    select
        (select count(*) from {{ model }}) as n_model,
        (select count(*) from {{ compare_model }}) as n_compare
)

select *
from counts
where n_model <> n_compare

{% endtest %}
