-- The distinct meters of each billing month's cost rows, with what they carry: int_cost_meters adds the months up.
-- Stored and incremental by billing month: a daily build reads the cost rows of the months it loaded, not every
-- cost row again for the meter list and each test on it (at 20 million rows that read took about 5 s each time).
-- depends_on: {{ ref('int_lake_billing_months') }}
{%- set group_by = ['cost_rows.x_BillingMonth'] %}
{%- for row_column, meter_column in meter_identity() %}
{%- do group_by.append(meter_identity_value('cost_rows', row_column)) %}
{%- endfor %}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at')
) }}

with cost_rows as (
    select * from {{ ref('int_cost_rows_unioned') }}
    where {{ aoai_finops.billing_month_filter(
        'billing_month', 'billing_month_ingested_at', filtered_column='x_BillingMonth'
    ) }}
),

meter_months as (
    select
        cost_rows.x_BillingMonth as billing_month,
        {%- for row_column, meter_column in meter_identity() %}
        {{ meter_identity_value('cost_rows', row_column) }} as {{ meter_column }},
        {%- endfor %}
        max(lower(cost_rows.x_ResourceType)) as resource_type,
        count(*) as row_count,
        sum(cost_rows.BilledCost) as billed_cost,
        sum(cost_rows.EffectiveCost) as effective_cost,
        min(cost_rows.ChargePeriodStart) as first_charge_period_start,
        max(cost_rows.ChargePeriodStart) as last_charge_period_start,
        max(cost_rows.x_BillingMonthIngestedAt) as billing_month_ingested_at
    from cost_rows
    group by
        {{ group_by | join(',\n        ') }}
)

select * from meter_months
