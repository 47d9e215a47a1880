-- The AI token cost rows summed per meter-day (AI account x meter x day x pricing category x currency): the unit
-- prices fct_ai_price_variances checks. Stored and incremental by the month of the charge date
-- (ai_charge_month_state): the mart reads every day, and summing 20 million rows again for it on each build was most
-- of its time. The checks stay in the mart: their tolerances are vars, not state of a month.
{%- set month_state = aoai_finops.ai_charge_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set meter_day = aoai_finops.ai_price_variance_grain('meter_day') %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
    where {{ aoai_finops.billing_months_in(aoai_finops.month_string('charge_date'), plan) }}
),

meter_days as (
    select
        {{ meter_day | join(',\n        ') }},
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
        {{ meter_day | join(',\n        ') }}
)

{{ aoai_finops.ai_charge_month_stamped('meter_days') }}
