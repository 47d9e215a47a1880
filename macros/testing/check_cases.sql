{#-
    check_cases(cases): the body of a singular data test that compares expressions with expected values.

    `cases` is a list of (name, actual_sql, expected_sql); both sides are cast to string and compared null-safely,
    and the test returns the cases that differ. Used by tests/cross_db/ to check a macro on every engine:

        {{ aoai_finops.check_cases([
            ('monday is 1', aoai_finops.day_of_week_iso("cast('2024-01-01' as date)"), '1'),
            ('garbage is null', aoai_finops.parse_timestamp("'garbage'", 'iso'), 'null'),
        ]) }}

    Compare doubles after round(): engines print doubles differently (7.9 vs 7.900000000000001).
-#}
{% macro check_cases(cases) %}
select
    check_name,
    actual,
    expected
from (
    {%- for name, actual, expected in cases %}
    select
        {{ aoai_finops.sql_string_literal(name) }} as check_name,
        cast({{ actual }} as {{ dbt.type_string() }}) as actual,
        cast({{ expected }} as {{ dbt.type_string() }}) as expected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
) as checks
where actual is distinct from expected
{% endmacro %}
