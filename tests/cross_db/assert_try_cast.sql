-- try_cast: null instead of an error on every engine.
with checks as (
    select 'double ok' as check_name, cast({{ aoai_finops.try_cast("'1.25'", 'double') }} as string) as actual, '1.25' as expected
    union all select 'double bad', cast({{ aoai_finops.try_cast("'abc'", 'double') }} as string), cast(null as string)
    union all select 'bigint ok', cast({{ aoai_finops.try_cast("' 12 '", 'bigint') }} as string), '12'
    union all select 'integer bad', cast({{ aoai_finops.try_cast("'x1'", 'integer') }} as string), cast(null as string)
    union all select 'date ok', cast({{ aoai_finops.try_cast("'2024-02-29'", 'date') }} as string), '2024-02-29'
    union all select 'date bad', cast({{ aoai_finops.try_cast("'2024-02-30'", 'date') }} as string), cast(null as string)
    union all select 'boolean', cast({{ aoai_finops.try_cast("'true'", 'boolean') }} as string), 'true'
    union all select 'timestamp', cast({{ aoai_finops.try_cast("'2024-05-01 10:11:12'", 'timestamp') }} as string), '2024-05-01 10:11:12'
)

select *
from checks
where actual is distinct from expected
