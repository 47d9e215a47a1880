-- Warn-level report: cost a fallback rule allocated because the rules before it could not (telemetry gaps,
-- untagged resources, ...), per month, account, method and reasons. Allocated, but worth a look.
{{ config(severity='warn') }}

select
    cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
    resource_id,
    allocation_method,
    fallback_reasons,
    round(sum(allocated_effective_cost), 2) as effective_cost
from {{ ref('fct_cost_allocation_daily') }}
where fallback_reasons is not null and is_allocated
group by
    cast({{ dbt.date_trunc('month', 'charge_date') }} as date), resource_id, allocation_method, fallback_reasons
