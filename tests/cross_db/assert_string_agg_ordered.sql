-- string_agg_ordered: deterministic order on every engine, nulls skipped, an all-null group gives null.
with items as (
    select
        'a' as grp,
        2 as sort_key,
        'beta' as item
    union all
    select
        'a' as grp,
        1 as sort_key,
        'gamma' as item
    union all
    select
        'a' as grp,
        3 as sort_key,
        'alpha' as item
    union all
    select
        'a' as grp,
        4 as sort_key,
        cast(null as string) as item
    union all
    select
        'a' as grp,
        5 as sort_key,
        'beta' as item
    union all
    select
        'b' as grp,
        1 as sort_key,
        cast(null as string) as item
),

aggregated as (
    select
        grp,
        {{ aoai_finops.string_agg_ordered('item', ', ') }} as by_value,
        {{ aoai_finops.string_agg_ordered('item', ' | ', order_by='sort_key') }} as by_key,
        {{ aoai_finops.string_agg_ordered('item', ',', distinct=true) }} as distinct_values
    from items
    group by grp
),

expected as (
    select
        'a' as grp,
        'alpha, beta, beta, gamma' as by_value,
        'gamma | beta | alpha | beta' as by_key,
        'alpha,beta,gamma' as distinct_values
    union all
    select
        'b' as grp,
        cast(null as string) as by_value,
        cast(null as string) as by_key,
        cast(null as string) as distinct_values
)

select
    exp.grp,
    agg.by_value,
    agg.by_key,
    agg.distinct_values
from expected as exp
left join aggregated as agg on exp.grp = agg.grp
where
    agg.grp is null
    or agg.by_value is distinct from exp.by_value
    or agg.by_key is distinct from exp.by_key
    or agg.distinct_values is distinct from exp.distinct_values
