-- The AI token cost rows summed per lake billing month and meter-day (AI account x meter x day x pricing category x
-- currency): the unit prices fct_ai_price_variances checks. Stored and incremental by billing month
-- (docs/incremental.md): the mart reads every month, and summing 20 million rows again for it each day was most of
-- its time. The checks themselves stay in the mart (their tolerances are vars, not state of a month).
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at', 'seeds_checksum')
) }}
{%- set meter_day = aoai_finops.ai_price_variance_grain('meter_day') %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
    where {{ aoai_finops.billing_month_filter('billing_month', 'billing_month_ingested_at', 'seeds_checksum') }}
)

select
    billing_month,
    billing_month_ingested_at,
    seeds_checksum,
    {{ meter_day | join(',\n    ') }},
    {{ aoai_finops.month_string('charge_date') }} <> billing_month as is_charge_outside_billing_month,
    bool_and(is_classified) as is_classified,
    bool_or(is_batch) as is_batch,
    bool_or(is_priority) as is_priority,
    sum(tokens) as tokens,
    sum(billed_cost) as billed_cost,
    sum(effective_cost) as effective_cost,
    sum(list_cost) as list_cost,
    bool_and(has_catalog_price and expected_list_cost is not null) as has_catalog_price,
    sum(expected_list_cost) as expected_list_cost
from priced_rows
group by
    billing_month,
    billing_month_ingested_at,
    seeds_checksum,
    {{ meter_day | join(',\n    ') }}
