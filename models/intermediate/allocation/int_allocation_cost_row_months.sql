-- One row per billing month with cost rows to allocate (int_allocation_cost_rows): the month's lake state and a
-- fingerprint of which of its credits and adjustments are allocated. A credit is allocated when its resource has
-- AI cost in any month, so a newer month can add an older month's credit while the older month's ingestion stays
-- as it was: its fingerprint changes then, and int_allocation_cost_rows rebuilds it.
-- A table: tiny, and read by the incremental plan of int_allocation_cost_rows.
{{ config(materialized='table') }}

with focus_costs as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('focus_costs') }}
),

allocated_cost_rows as (
    {{ aoai_finops.allocated_cost_rows('focus_costs') | indent(4) }}
),

-- The AI accounts whose credits the month has (null for the AI meter rows).
month_accounts as (
    select distinct
        x_BillingMonth as billing_month,
        case when is_credit_of_ai_account then ResourceId end as credited_resource_id
    from allocated_cost_rows
),

cost_row_months as (
    select
        billing_month,
        {{ aoai_finops.hash_sum(aoai_finops.surrogate_key(['credited_resource_id'])) }} as fingerprint
    from month_accounts
    group by billing_month
)

{{ aoai_finops.fingerprinted_months('cost_row_months') }}
