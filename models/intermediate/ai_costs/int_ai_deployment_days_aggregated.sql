-- The classified AI token cost rows summed per lake billing month and deployment-day (AI account x model x deployment
-- type x batch x priority x modality x context tier x currency x day), token types side by side: the input of
-- fct_ai_price_variances' double-billing check, which compares each day's cached share with the deployment's usual
-- one. Stored and incremental by billing month (docs/incremental.md), like int_ai_meter_days_aggregated.
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at', 'seeds_checksum')
) }}
{%- set deployment_day = aoai_finops.ai_price_variance_grain('deployment_day') %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
    where
        is_classified and model_id is not null
        and {{ aoai_finops.billing_month_filter('billing_month', 'billing_month_ingested_at', 'seeds_checksum') }}
)

select
    billing_month,
    billing_month_ingested_at,
    seeds_checksum,
    {{ deployment_day | join(',\n    ') }},
    {{ aoai_finops.month_string('charge_date') }} <> billing_month as is_charge_outside_billing_month,
    sum(case when token_type = 'input' then tokens else 0 end) as input_tokens,
    sum(case when token_type = 'cached_input' then tokens else 0 end) as cached_input_tokens,
    sum(case when token_type = 'output' then tokens else 0 end) as output_tokens,
    sum(case when token_type = 'input' then billed_cost else 0 end) as input_billed_cost,
    sum(case when token_type = 'input' then effective_cost else 0 end) as input_effective_cost,
    sum(case when token_type = 'input' then list_cost else 0 end) as input_list_cost,
    sum(case when token_type = 'input' then expected_list_cost end) as input_expected_list_cost
from priced_rows
group by
    billing_month,
    billing_month_ingested_at,
    seeds_checksum,
    {{ deployment_day | join(',\n    ') }}
