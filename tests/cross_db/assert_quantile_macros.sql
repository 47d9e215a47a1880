-- median and percentile: exact, interpolated (PERCENTILE_CONT), double, as aggregates and window functions.
with samples as (
    select
        'a' as grp,
        1 as x
    union all
    select
        'a' as grp,
        2 as x
    union all
    select
        'a' as grp,
        3 as x
    union all
    select
        'a' as grp,
        10 as x
    union all
    select
        'a' as grp,
        cast(null as integer) as x
    union all
    select
        'b' as grp,
        5 as x
    union all
    select
        'c' as grp,
        cast(null as integer) as x
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
    select
        'a' as grp,
        cast(2.5 as double) as p50,
        cast(7.9 as double) as p90,
        cast(1 as double) as p0
    union all
    select
        'b' as grp,
        cast(5 as double) as p50,
        cast(5 as double) as p90,
        cast(5 as double) as p0
    union all
    select
        'c' as grp,
        cast(null as double) as p50,
        cast(null as double) as p90,
        cast(null as double) as p0
),

windowed as (
    select
        grp,
        {{ aoai_finops.median('x') }} over (partition by grp) as p50_window
    from samples
)

select
    exp.grp,
    'aggregate' as problem
from expected as exp
left join aggregated as agg on exp.grp = agg.grp
where
    agg.grp is null
    or round(agg.p50, 9) is distinct from round(exp.p50, 9)
    or round(agg.p90, 9) is distinct from round(exp.p90, 9)
    or round(agg.p0, 9) is distinct from round(exp.p0, 9)
union all
select
    grp,
    'window' as problem
from windowed
where grp = 'a' and p50_window != 2.5
