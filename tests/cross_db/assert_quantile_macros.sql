-- median / percentile: exact, interpolated (PERCENTILE_CONT), double, as aggregates and window functions.
with samples as (
    select 'a' as grp, 1 as x
    union all select 'a', 2
    union all select 'a', 3
    union all select 'a', 10
    union all select 'a', cast(null as integer)
    union all select 'b', 5
    union all select 'c', cast(null as integer)
),

aggregated as (
    select
        grp,
        {{ aoai_finops.median('x') }} as p50,
        {{ aoai_finops.percentile('x', 0.9) }} as p90,
        {{ aoai_finops.percentile('x', 0) }} as p0
    from samples
    group by grp
),

expected as (
    select 'a' as grp, cast(2.5 as double) as p50, cast(7.9 as double) as p90, cast(1 as double) as p0
    union all select 'b', cast(5 as double), cast(5 as double), cast(5 as double)
    union all select 'c', cast(null as double), cast(null as double), cast(null as double)
),

windowed as (
    select
        grp,
        {{ aoai_finops.median('x') }} over (partition by grp) as p50_window
    from samples
)

select a.grp, 'aggregate' as problem
from aggregated as a
inner join expected as e on a.grp = e.grp
where
    round(a.p50, 9) is distinct from round(e.p50, 9)
    or round(a.p90, 9) is distinct from round(e.p90, 9)
    or round(a.p0, 9) is distinct from round(e.p0, 9)
union all
select grp, 'window' as problem
from windowed
where grp = 'a' and p50_window != 2.5
union all
select 'count' as grp, 'groups' as problem
from (select count(*) as n from aggregated) as c
where n != 3
