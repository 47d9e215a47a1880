{#-
    Fails on every row where `expression` is false. Rows where it is null pass: say so explicitly with
    `coalesce(...)` when null must fail too.
-#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
