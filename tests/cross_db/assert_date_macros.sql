-- day_of_week_iso, month_string, parse_timestamp, try_parse_date, current_timestamp_utc and date_spine_days
-- give the same values on every engine.
{%- set d = "cast('2024-02-27' as date)" %}
{%- set e = "cast('2024-03-02' as date)" %}
{{ aoai_finops.check_cases([
    ('dow monday', aoai_finops.day_of_week_iso("cast('2024-01-01' as date)"), "'1'"),
    ('dow sunday', aoai_finops.day_of_week_iso("cast('2024-01-07' as date)"), "'7'"),
    ('dow timestamp', aoai_finops.day_of_week_iso("cast('2024-01-06 23:59:59' as timestamp)"), "'6'"),
    ('month date', aoai_finops.month_string("cast('2024-03-05' as date)"), "'2024-03'"),
    ('month timestamp', aoai_finops.month_string("cast('2024-12-31 23:00:00' as timestamp)"), "'2024-12'"),
    ('iso date', aoai_finops.parse_timestamp("'2024-05-01'", 'iso'), "'2024-05-01 00:00:00'"),
    ('iso T', aoai_finops.parse_timestamp("'2024-05-01T10:11:12'", 'iso'), "'2024-05-01 10:11:12'"),
    ('iso Z 7 digits', aoai_finops.parse_timestamp("'2024-05-01T00:00:00.0000000Z'", 'iso'), "'2024-05-01 00:00:00'"),
    ('iso offset', aoai_finops.parse_timestamp("'2024-05-01T10:00:00+02:00'", 'iso'), "'2024-05-01 08:00:00'"),
    ('iso space', aoai_finops.parse_timestamp("'2024-05-01 10:11:12'", 'iso'), "'2024-05-01 10:11:12'"),
    ('iso garbage', aoai_finops.parse_timestamp("'garbage'", 'iso'), 'null'),
    ('iso null', aoai_finops.parse_timestamp('cast(null as string)', 'iso'), 'null'),
    ('us date', aoai_finops.parse_timestamp("'05/31/2024'", 'MM/DD/YYYY'), "'2024-05-31 00:00:00'"),
    ('us date no zeros', aoai_finops.parse_timestamp("'5/1/2024'", 'MM/DD/YYYY'), "'2024-05-01 00:00:00'"),
    ('us date bad month', aoai_finops.parse_timestamp("'13/01/2024'", 'MM/DD/YYYY'), 'null'),
    ('us date with time', aoai_finops.parse_timestamp("'05/01/2024 00:00:00'", 'MM/DD/YYYY'), 'null'),
    ('full format', aoai_finops.parse_timestamp("'2024-05-01 7:05:09'", 'YYYY-MM-DD HH24:MI:SS'), "'2024-05-01 07:05:09'"),
    ('try_parse_date us', aoai_finops.try_parse_date("'02/29/2024'", 'MM/DD/YYYY'), "'2024-02-29'"),
    ('try_parse_date bad', aoai_finops.try_parse_date("'02/30/2024'", 'MM/DD/YYYY'), 'null'),
    ('try_parse_date iso', aoai_finops.try_parse_date("'2024-05-01T23:59:59Z'"), "'2024-05-01'"),
    ('now utc', 'year(' ~ aoai_finops.current_timestamp_utc() ~ ') >= 2024', 'true'),
    ('spine days', '(select count(*) from (' ~ aoai_finops.date_spine_days(d, e) ~ ') as s)', "'4'"),
    ('spine first', '(select min(date_day) from (' ~ aoai_finops.date_spine_days(d, e) ~ ') as s)', "'2024-02-27'"),
    ('spine last', '(select max(date_day) from (' ~ aoai_finops.date_spine_days(d, e) ~ ') as s)', "'2024-03-01'"),
    ('spine empty', '(select count(*) from (' ~ aoai_finops.date_spine_days(e, e) ~ ') as s)', "'0'"),
]) }}
