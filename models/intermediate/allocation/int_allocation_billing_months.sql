-- One row per billing month with allocation splits: the month's lake state (int_lake_billing_months) and a
-- fingerprint of its splits. A month's splits also depend on inputs the ingestion log does not see (telemetry,
-- and the latest tags and keys, which can come from other months), so focus_costs_allocated rebuilds a month when
-- its splits changed, whatever changed them, and leaves the others (docs/incremental.md).
-- Amounts are rounded before hashing so that float noise from summing in another order does not rebuild a month.
-- A table: tiny, and the incremental plan of focus_costs_allocated reads it more than once per build.
{{ config(materialized='table') }}
{%- set fingerprinted = [
    'allocation_split_id', 'allocation_pool_kind', 'allocation_method', 'allocation_rule_order',
    'fallback_reasons', 'unallocated_reason', 'basis_unit',
    'cast(basis_quantity as decimal(38, 3))', 'cast(allocated_tokens as decimal(38, 3))',
    'cast(allocation_share as decimal(38, 9))', 'cast(allocated_billed_cost as decimal(38, 9))',
    'cast(allocated_effective_cost as decimal(38, 9))',
] %}

with splits as (
    select
        billing_month,
        {{ aoai_finops.surrogate_key(fingerprinted) }} as split_key
    from {{ ref('int_cost_allocation_splits') }}
),

split_months as (
    select
        billing_month,
        count(*) as split_count,
        {{ aoai_finops.hash_sum('split_key') }} as fingerprint
    from splits
    group by billing_month
)

select
    split_months.billing_month,
    lake_months.ingested_at,
    split_months.fingerprint,
    cast(split_months.split_count as bigint) as split_count
from split_months
inner join {{ ref('int_lake_billing_months') }} as lake_months
    on split_months.billing_month = lake_months.billing_month
