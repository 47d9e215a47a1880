-- fct_showback_monthly adds up to fct_cost_allocation_daily per month and currency, to the cent.
with daily as (
    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
        billing_currency,
        sum(allocated_billed_cost) as billed_cost,
        sum(allocated_effective_cost) as effective_cost,
        sum(allocated_tokens) as tokens
    from {{ ref('fct_cost_allocation_daily') }}
    group by cast({{ dbt.date_trunc('month', 'charge_date') }} as date), billing_currency
),

monthly as (
    select
        charge_month,
        billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(tokens) as tokens
    from {{ ref('fct_showback_monthly') }}
    group by charge_month, billing_currency
)

select
    coalesce(daily.charge_month, monthly.charge_month) as charge_month,
    coalesce(daily.billing_currency, monthly.billing_currency) as billing_currency,
    daily.effective_cost as daily_effective_cost,
    monthly.effective_cost as monthly_effective_cost
from daily
full outer join monthly
    on
        daily.charge_month = monthly.charge_month
        and daily.billing_currency = monthly.billing_currency
where
    daily.charge_month is null
    or monthly.charge_month is null
    or abs(daily.billed_cost - monthly.billed_cost) > 0.005
    or abs(daily.effective_cost - monthly.effective_cost) > 0.005
    or abs(daily.tokens - monthly.tokens) > 0.5
