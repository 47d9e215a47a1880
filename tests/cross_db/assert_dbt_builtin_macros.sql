-- dbt-core's own cross-database macros, used the way that gives the same answer on DuckDB and Spark.
-- docs/portability.md lists the ones that do NOT agree (datediff in hours, dateadd with fractional seconds,
-- listagg order, split_part with a letter delimiter, generate_series' type, safe_cast).
{%- set d0305 = "cast('2024-03-05' as date)" %}
{{ aoai_finops.check_cases([
    ('date_trunc month', 'cast(' ~ dbt.date_trunc('month', d0305) ~ ' as date)', "'2024-03-01'"),
    ('dateadd day', 'cast(' ~ dbt.dateadd('day', 1, "cast('2024-02-28' as date)") ~ ' as date)', "'2024-02-29'"),
    ('dateadd month', 'cast(' ~ dbt.dateadd('month', 1, "cast('2024-01-31' as date)") ~ ' as date)', "'2024-02-29'"),
    ('datediff day', dbt.datediff("cast('2024-03-01' as date)", d0305, 'day'), '4'),
    ('datediff month', dbt.datediff("cast('2024-01-31' as date)", "cast('2024-02-01' as date)", 'month'), '1'),
    ('datediff week', dbt.datediff("cast('2024-03-02' as date)", "cast('2024-03-04' as date)", 'week'), '1'),
    ('last_day', dbt.last_day("cast('2024-02-10' as date)", 'month'), "'2024-02-29'"),
    ('split_part', dbt.split_part("'a-b-c'", "'-'", 2), "'b'"),
    ('split_part dot', dbt.split_part("'a.b.c'", "'.'", 3), "'c'"),
    ('split_part last', dbt.split_part("'a-b-c'", "'-'", -1), "'c'"),
    ('concat with null', dbt.concat(["'a'", 'cast(null as string)']), 'null'),
    ('hash', dbt.hash("'abc'"), "'900150983cd24fb0d6963f7d28e17f72'"),
    ('cast_bool_to_text', dbt.cast_bool_to_text('true'), "'true'"),
    ('date', dbt.date(2024, 2, 29), "'2024-02-29'"),
    (
        'date_spine',
        '(select count(*) from (' ~ dbt.date_spine('day', "cast('2024-02-27' as date)", "cast('2024-03-02' as date)") ~ ') as s)',
        '4',
    ),
    ('generate_series', '(select cast(sum(generated_number) as bigint) from (' ~ dbt.generate_series(5) ~ ') as g)', '15'),
    ('bool_or', '(select ' ~ dbt.bool_or('flag') ~ ' from (select true as flag union all select false as flag) as b)', 'true'),
    ('any_value', '(select ' ~ dbt.any_value('n') ~ ' from (select 7 as n) as a)', '7'),
]) }}
