{#- Fails when the model and `compare_model` have a different number of rows (nothing dropped, nothing doubled).
    Both are read for the same billing months when the tests are scoped to some (tested_rows()). -#}
{% test equal_row_count(model, compare_model) %}

with counts as (
    select
        (select count(*) from {{ model }}) as n_model,
        (select count(*) from {{ aoai_finops.tested_rows(compare_model) }}) as n_compare
)

select *
from counts
where n_model <> n_compare

{% endtest %}
