-- hash_sum: the same rows in another order give the same fingerprint; a changed, a missing or a repeated row
-- gives another one. Returns the groups that break this.
with items as (
    select
        'same' as grp,
        'alpha' as item
    union all
    select
        'same' as grp,
        'beta' as item
    union all
    select
        'reordered' as grp,
        'beta' as item
    union all
    select
        'reordered' as grp,
        'alpha' as item
    union all
    select
        'changed' as grp,
        'alpha' as item
    union all
    select
        'changed' as grp,
        'betb' as item
    union all
    select
        'missing' as grp,
        'alpha' as item
    union all
    select
        'repeated' as grp,
        'alpha' as item
    union all
    select
        'repeated' as grp,
        'beta' as item
    union all
    select
        'repeated' as grp,
        'beta' as item
),

fingerprints as (
    select
        grp,
        {{ aoai_finops.hash_sum(aoai_finops.surrogate_key(['item'])) }} as fingerprint
    from items
    group by grp
),

reference as (
    select fingerprint
    from fingerprints
    where grp = 'same'
)

select
    fingerprints.grp,
    fingerprints.fingerprint
from fingerprints
cross join reference
where
    fingerprints.fingerprint is null
    or (
        fingerprints.grp != 'same'
        and (fingerprints.grp = 'reordered') != (fingerprints.fingerprint = reference.fingerprint)
    )
