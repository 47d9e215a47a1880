{#-
    failing_rows(relation, checks): the body of a singular data test that checks conditions row by row.

    `checks` is a list of (name, condition) where the condition must be true on every row (a null condition
    counts as a failure) of the tested billing months (tested_rows()). The test returns one row per failing check:
    how many rows fail it and the export file and resource of one of them, so a failure points at the data to
    look at.

        {{ failing_rows(ref('focus_costs'), [
            ('charge period ends after it starts', 'ChargePeriodEnd > ChargePeriodStart'),
        ]) }}
-#}
{% macro failing_rows(relation, checks) %}
select
    check_name,
    count(*) as failing_rows,
    min(x_SourceFile) as example_source_file,
    min(ResourceId) as example_resource_id
from (
    {%- for name, condition in checks %}
    select
        {{ aoai_finops.sql_string_literal(name) }} as check_name,
        x_SourceFile,
        ResourceId
    from {{ aoai_finops.tested_rows(relation) }}
    where not coalesce(({{ condition }}), false)
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
) as failures
group by check_name
{% endmacro %}
