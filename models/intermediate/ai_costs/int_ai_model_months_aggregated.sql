-- The AI token cost rows summed per month x AI account x model x deployment type (with batch and priority) x
-- currency, token types side by side: the sums fct_ai_unit_economics_monthly turns into unit economics. Stored and
-- incremental by the month of the charge date, like int_ai_meter_days_aggregated: the mart reads every month
-- (month-over-month changes, cost centers from the latest tags), and summing every token row again for it on each
-- build was most of its time. Token meters the classifier cannot read stay in as model 'unclassified'.
{%- set month_state = aoai_finops.ai_charge_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set model_month = [
    'charge_month', 'billing_account_id', 'sub_account_id', 'resource_id', 'model_name', 'deployment_type',
    'is_batch', 'is_priority', 'billing_currency',
] %}
{%- set token_types = aoai_finops.unit_economics_token_types() %}

with priced_rows as (
    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
        charge_date,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        coalesce(model_family, 'unclassified') as model_family,
        coalesce(model_id, 'unclassified') as model_name,
        coalesce(deployment_type, 'unclassified') as deployment_type,
        coalesce(is_batch, false) as is_batch,
        coalesce(is_priority, false) as is_priority,
        billing_currency,
        is_classified,
        token_type,
        tokens,
        billed_cost,
        effective_cost,
        list_cost,
        has_catalog_price and expected_list_cost is not null as has_catalog_price,
        expected_list_cost
    from {{ ref('int_ai_token_costs_priced') }}
    where {{ aoai_finops.billing_months_in(aoai_finops.month_string('charge_date'), plan) }}
),

model_months as (
    select
        {{ model_month | join(',\n        ') }},
        max(sub_account_name) as sub_account_name,
        max(resource_name) as resource_name,
        max(model_family) as model_family,
        bool_and(is_classified) as is_classified,
        count(distinct charge_date) as charge_days,
        {%- for token_type in token_types %}
        sum(case when token_type = '{{ token_type }}' then tokens else 0 end) as {{ token_type }}_tokens,
        sum(case when token_type = '{{ token_type }}' then effective_cost else 0 end) as {{ token_type }}_cost,
        {%- endfor %}
        sum(tokens) as total_tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        bool_and(has_catalog_price) as has_catalog_price,
        sum(expected_list_cost) as priced_expected_list_cost
    from priced_rows
    group by
        {{ model_month | join(',\n        ') }}
)

{{ aoai_finops.ai_charge_month_stamped('model_months', date_column='charge_month') }}
