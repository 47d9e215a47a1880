-- One row per billing month with AI cost to allocate: the month's lake state and a fingerprint of every other
-- input its splits are made from. The allocation chain (pool candidates, decisions, splits) and the allocation marts
-- are incremental on it: they rebuild a month when its cost rows changed (ingested_at), the seeds changed (their
-- seeds checksum) or this fingerprint did, whatever changed it:
--   * which resources have AI cost on which day: a credit joins the month when its resource has AI cost in any
--     month, so a newer month can add one to an older month;
--   * the allocation keys of those resources on those days: the latest tags (a newer month changes them) and the
--     key mappings;
--   * the telemetry token shares of those resources on those days.
-- Amounts are rounded before hashing, so that float noise from summing in another order does not rebuild a month.
-- A table: tiny, and each incremental plan of the chain reads it.
{{ config(materialized='table') }}
{%- set keys = aoai_finops.allocation_keys() %}
{%- set key_columns = ['is_tagged', 'missing_keys_reason'] %}
{%- for key in keys %}{% do key_columns.extend([key, key ~ '_precedence']) %}{% endfor %}
{#- Each input of a resource-day and every column of it (amounts rounded). -#}
{%- set resource_day_inputs = {
    'int_allocation_resource_keys': key_columns,
    'int_allocation_token_shares_daily': [
        'target_key', 'account_name', 'model_name', 'token_direction', 'deployment_name', 'sku_name',
        'deployment_type', 'is_batch', 'is_provisioned', 'attribution_source', 'apim_service', 'apim_subscription_id',
        'apim_product_id', 'apim_user_id', 'unallocated_reason', 'is_gap', 'cast(tokens as decimal(38, 3))',
        'cast(share_of_model_tokens as decimal(38, 9))',
    ] + keys,
} %}
{%- set resource_day = ['resource_days.resource_id', 'resource_days.charge_date'] %}

with resource_days as (
    select
        billing_month,
        resource_id,
        charge_date
    from {{ ref('int_allocation_resource_days_aggregated') }}
),

month_inputs as (
    select
        resource_days.billing_month,
        {{ aoai_finops.surrogate_key(resource_day) }} as input_key
    from resource_days
    {%- for model, columns in resource_day_inputs.items() %}
    union all
    select
        resource_days.billing_month,
        {{ aoai_finops.surrogate_key(resource_day + columns) }} as input_key
    from resource_days
    inner join {{ ref(model) }} as day_input
        on
            resource_days.resource_id = day_input.resource_id
            and resource_days.charge_date = day_input.charge_date
    {%- endfor %}
),

input_months as (
    select
        billing_month,
        {{ aoai_finops.hash_sum('input_key') }} as fingerprint
    from month_inputs
    group by billing_month
)

{{ aoai_finops.fingerprinted_months('input_months') }}
