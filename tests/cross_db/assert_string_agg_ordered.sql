-- string_agg_ordered: deterministic order, nulls skipped, all-null group gives null.
with items as (
    select 'a' as grp, 2 as sort_key, 'beta' as item
    union all select 'a', 1, 'gamma'
    union all select 'a', 3, 'alpha'
    union all select 'a', 4, cast(null as string)
    union all select 'a', 5, 'beta'
    union all select 'b', 1, cast(null as string)
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
    union all select 'b', cast(null as string), cast(null as string), cast(null as string)
)

select a.*
from aggregated as a
inner join expected as e on a.grp = e.grp
where
    a.by_value is distinct from e.by_value
    or a.by_key is distinct from e.by_key
    or a.distinct_values is distinct from e.distinct_values
