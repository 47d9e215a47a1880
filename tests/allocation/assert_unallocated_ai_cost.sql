-- Warn-level report, like the unclassified meter bucket: AI cost without a cost center and application, per
-- month, account and reason. Map the deployment or APIM subscription, tag the resource, or add a rule
-- (docs/allocation.md); the cost stays in the marts as `unallocated` either way.
{{ config(severity='warn') }}

select
    cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
    resource_id,
    unallocated_reason,
    round(sum(allocated_billed_cost), 2) as unallocated_billed_cost,
    round(sum(allocated_effective_cost), 2) as unallocated_effective_cost
from {{ ref('fct_cost_allocation_daily') }}
where not is_allocated
group by cast({{ dbt.date_trunc('month', 'charge_date') }} as date), resource_id, unallocated_reason
