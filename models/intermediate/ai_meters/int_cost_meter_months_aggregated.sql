-- The distinct meters of each billing month's cost rows, per billing currency, with what they carry: int_cost_meters
-- adds the months up, fct_ai_unclassified_meters the cost of each currency (sums of two currencies mean nothing).
-- Stored and incremental by billing month: a daily build reads the cost rows of the months it loaded, not every
-- cost row again for the meter list and each test on it (at 20 million rows that read took about 5 s each time).
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at')
) }}
{%- set meter_columns = meter_identity_columns() %}
{%- set grain = ['billing_month'] + meter_columns + ['billing_currency'] %}
{#- The key hashes the identity with a separator between its values. #}
{%- set key_parts = [] %}
{%- for column in meter_columns %}
{%- do key_parts.append(column) %}
{%- if not loop.last %}{% do key_parts.append("'|'") %}{% endif %}
{%- endfor %}

with cost_rows as (
    select
        unioned.x_BillingMonth as billing_month,
        {%- for row_column, meter_column in meter_identity() %}
        {{ meter_identity_value('unioned', row_column) }} as {{ meter_column }},
        {%- endfor %}
        unioned.BillingCurrency as billing_currency,
        lower(unioned.x_ResourceType) as resource_type,
        unioned.BilledCost,
        unioned.EffectiveCost,
        unioned.ChargePeriodStart,
        unioned.x_BillingMonthIngestedAt
    from {{ ref('int_cost_rows_unioned') }} as unioned
    where {{ aoai_finops.billing_month_filter(
        'billing_month', 'billing_month_ingested_at', filtered_column='unioned.x_BillingMonth'
    ) }}
),

meter_months as (
    select
        {{ grain | join(',\n        ') }},
        max(resource_type) as resource_type,
        count(*) as row_count,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost,
        min(ChargePeriodStart) as first_charge_period_start,
        max(ChargePeriodStart) as last_charge_period_start,
        max(x_BillingMonthIngestedAt) as billing_month_ingested_at
    from cost_rows
    group by
        {{ grain | join(',\n        ') }}
)

select
    {{ dbt.hash(dbt.concat(key_parts)) }} as meter_key,
    *
from meter_months
