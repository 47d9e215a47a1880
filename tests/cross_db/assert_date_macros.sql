-- day_of_week_iso, month_string, parse_timestamp, try_parse_date, current_timestamp_utc, date_spine_days.
with checks as (
    select 'dow monday' as check_name, cast({{ aoai_finops.day_of_week_iso("cast('2024-01-01' as date)") }} as string) as actual, '1' as expected
    union all select 'dow sunday', cast({{ aoai_finops.day_of_week_iso("cast('2024-01-07' as date)") }} as string), '7'
    union all select 'dow timestamp', cast({{ aoai_finops.day_of_week_iso("cast('2024-01-06 23:59:59' as timestamp)") }} as string), '6'
    union all select 'month date', {{ aoai_finops.month_string("cast('2024-03-05' as date)") }}, '2024-03'
    union all select 'month timestamp', {{ aoai_finops.month_string("cast('2024-12-31 23:00:00' as timestamp)") }}, '2024-12'
    union all select 'iso date', cast({{ aoai_finops.parse_timestamp("'2024-05-01'", 'iso') }} as string), '2024-05-01 00:00:00'
    union all select 'iso T', cast({{ aoai_finops.parse_timestamp("'2024-05-01T10:11:12'", 'iso') }} as string), '2024-05-01 10:11:12'
    union all select 'iso Z 7 digits', cast({{ aoai_finops.parse_timestamp("'2024-05-01T00:00:00.0000000Z'", 'iso') }} as string), '2024-05-01 00:00:00'
    union all select 'iso offset', cast({{ aoai_finops.parse_timestamp("'2024-05-01T10:00:00+02:00'", 'iso') }} as string), '2024-05-01 08:00:00'
    union all select 'iso space', cast({{ aoai_finops.parse_timestamp("'2024-05-01 10:11:12'", 'iso') }} as string), '2024-05-01 10:11:12'
    union all select 'iso garbage', cast({{ aoai_finops.parse_timestamp("'garbage'", 'iso') }} as string), cast(null as string)
    union all select 'iso null', cast({{ aoai_finops.parse_timestamp('cast(null as string)', 'iso') }} as string), cast(null as string)
    union all select 'us date', cast({{ aoai_finops.parse_timestamp("'05/31/2024'", 'MM/DD/YYYY') }} as string), '2024-05-31 00:00:00'
    union all select 'us date no zeros', cast({{ aoai_finops.parse_timestamp("'5/1/2024'", 'MM/DD/YYYY') }} as string), '2024-05-01 00:00:00'
    union all select 'us date bad month', cast({{ aoai_finops.parse_timestamp("'13/01/2024'", 'MM/DD/YYYY') }} as string), cast(null as string)
    union all select 'us date with time', cast({{ aoai_finops.parse_timestamp("'05/01/2024 00:00:00'", 'MM/DD/YYYY') }} as string), cast(null as string)
    union all select 'full format', cast({{ aoai_finops.parse_timestamp("'2024-05-01 7:05:09'", 'YYYY-MM-DD HH24:MI:SS') }} as string), '2024-05-01 07:05:09'
    union all select 'try_parse_date us', cast({{ aoai_finops.try_parse_date("'02/29/2024'", 'MM/DD/YYYY') }} as string), '2024-02-29'
    union all select 'try_parse_date bad', cast({{ aoai_finops.try_parse_date("'02/30/2024'", 'MM/DD/YYYY') }} as string), cast(null as string)
    union all select 'try_parse_date iso', cast({{ aoai_finops.try_parse_date("'2024-05-01T23:59:59Z'") }} as string), '2024-05-01'
    union all select 'now utc', cast(year({{ aoai_finops.current_timestamp_utc() }}) >= 2024 as string), 'true'
    union all select 'spine days', cast((select count(*) from ({{ aoai_finops.date_spine_days("cast('2024-02-27' as date)", "cast('2024-03-02' as date)") }}) as s) as string), '4'
    union all select 'spine first', cast((select min(date_day) from ({{ aoai_finops.date_spine_days("cast('2024-02-27' as date)", "cast('2024-03-02' as date)") }}) as s) as string), '2024-02-27'
    union all select 'spine last', cast((select max(date_day) from ({{ aoai_finops.date_spine_days("cast('2024-02-27' as date)", "cast('2024-03-02' as date)") }}) as s) as string), '2024-03-01'
    union all select 'spine empty', cast((select count(*) from ({{ aoai_finops.date_spine_days("cast('2024-03-02' as date)", "cast('2024-03-02' as date)") }}) as s) as string), '0'
)

select *
from checks
where actual is distinct from expected
