-- The resource-days of the AI cost rows (int_allocation_cost_rows) of each billing month, with the labels the
-- allocation keys are looked up by. Stored and incremental like the cost rows, on int_allocation_cost_row_months:
-- the keys and the allocation fingerprint need every month's resource-days on every build (the latest tags relabel
-- older days), and grouping every cost row again for them was most of their time at scale. A day charged in two
-- billing months (a late charge) has a row in each.
-- depends_on: {{ ref('int_allocation_cost_row_months') }}
{%- set month_state = aoai_finops.allocation_cost_row_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}

with cost_rows as (
    select * from {{ ref('int_allocation_cost_rows') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

-- The month state is the same on every row of a month (int_allocation_cost_rows joins it by month).
resource_days as (
    select
        billing_month,
        resource_id,
        charge_date,
        max(sub_account_id) as sub_account_id,
        max(sub_account_name) as sub_account_name,
        max(lower(resource_group_name)) as resource_group_name,
        max(billing_month_ingested_at) as billing_month_ingested_at,
        max(seeds_checksum) as seeds_checksum,
        max(ai_account_fingerprint) as ai_account_fingerprint
    from cost_rows
    group by
        billing_month,
        resource_id,
        charge_date
)

select * from resource_days
