-- The classified AI token cost rows (a model known) summed per deployment-day (AI account x model x deployment type
-- x batch x priority x modality x context tier x currency x day), token types side by side: the input of
-- fct_ai_price_variances' double-billing check, which compares each day's cached share with the deployment's usual
-- one. Stored and incremental by the month of the charge date, like int_ai_meter_days_aggregated.
{%- set month_state = aoai_finops.ai_charge_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set deployment_day = aoai_finops.ai_price_variance_grain('deployment_day') %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
    where
        is_classified and model_id is not null
        and {{ aoai_finops.billing_months_in(aoai_finops.month_string('charge_date'), plan) }}
),

deployment_days as (
    select
        {{ deployment_day | join(',\n        ') }},
        sum(case when token_type = 'input' then tokens else 0 end) as input_tokens,
        sum(case when token_type = 'cached_input' then tokens else 0 end) as cached_input_tokens,
        sum(case when token_type = 'output' then tokens else 0 end) as output_tokens,
        sum(case when token_type = 'input' then billed_cost else 0 end) as input_billed_cost,
        sum(case when token_type = 'input' then effective_cost else 0 end) as input_effective_cost,
        sum(case when token_type = 'input' then list_cost else 0 end) as input_list_cost,
        sum(case when token_type = 'input' then expected_list_cost end) as input_expected_list_cost
    from priced_rows
    group by
        {{ deployment_day | join(',\n        ') }}
)

{{ aoai_finops.ai_charge_month_stamped('deployment_days') }}
