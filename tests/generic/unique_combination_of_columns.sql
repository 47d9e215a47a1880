{#-
    Fails on every combination of the given columns that occurs more than once (nulls compare equal, as in
    GROUP BY). Our own stand-in for dbt_utils.unique_combination_of_columns, which is not reachable here.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as n_rows
from {{ model }}
group by
    {{ combination_of_columns | join(',\n    ') }}
having count(*) > 1

{% endtest %}
