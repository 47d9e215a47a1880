-- The table a monthly FinOps review starts from: AI cost per month, cost center and application, with tokens,
-- unit cost, share of the month and the change against the previous month. Built from the allocated cents, so
-- a month adds up to fct_cost_allocation_daily and, through it, to the bill.
with daily as (
    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
        charge_date,
        billing_currency,
        cost_center,
        application,
        team,
        is_allocated,
        allocated_tokens,
        allocated_billed_cost,
        allocated_effective_cost
    from {{ ref('fct_cost_allocation_daily') }}
),

months as (
    select
        charge_month,
        max(charge_date) as last_charge_date
    from daily
    group by charge_month
),

monthly as (
    select
        charge_month,
        billing_currency,
        cost_center,
        application,
        {{ aoai_finops.string_agg_ordered('team', ', ', distinct=true) }} as teams,
        round(sum(allocated_billed_cost), 2) as billed_cost,
        round(sum(allocated_effective_cost), 2) as effective_cost,
        round(sum(case when is_allocated then 0 else allocated_effective_cost end), 2) as unallocated_effective_cost,
        sum(allocated_tokens) as tokens
    from daily
    group by charge_month, billing_currency, cost_center, application
),

cells as (
    -- A cell that had cost last month shows up this month too, with 0, so a drop to nothing is visible.
    select
        charge_month,
        billing_currency,
        cost_center,
        application
    from monthly
    union
    select
        months.charge_month,
        monthly.billing_currency,
        monthly.cost_center,
        monthly.application
    from monthly
    inner join months
        on months.charge_month = cast({{ dbt.dateadd('month', 1, 'monthly.charge_month') }} as date)
),

compared as (
    select
        cells.charge_month,
        cells.billing_currency,
        cells.cost_center,
        cells.application,
        current_month.teams,
        coalesce(current_month.billed_cost, 0) as billed_cost,
        coalesce(current_month.effective_cost, 0) as effective_cost,
        coalesce(current_month.unallocated_effective_cost, 0) as unallocated_effective_cost,
        coalesce(current_month.tokens, 0) as tokens,
        previous_month.effective_cost as previous_effective_cost,
        months.last_charge_date
    from cells
    inner join months on cells.charge_month = months.charge_month
    left join monthly as current_month
        on
            cells.charge_month = current_month.charge_month
            and cells.billing_currency = current_month.billing_currency
            and cells.cost_center = current_month.cost_center
            and cells.application = current_month.application
    left join monthly as previous_month
        on
            cast({{ dbt.dateadd('month', -1, 'cells.charge_month') }} as date) = previous_month.charge_month
            and cells.billing_currency = previous_month.billing_currency
            and cells.cost_center = previous_month.cost_center
            and cells.application = previous_month.application
),

final as (
    select
        charge_month,
        billing_currency,
        cost_center,
        application,
        teams,
        cast(billed_cost as double) as billed_cost,
        cast(effective_cost as double) as effective_cost,
        cast(unallocated_effective_cost as double) as unallocated_effective_cost,
        cast(tokens as double) as tokens,
        cast(effective_cost / nullif(tokens, 0) * 1000000 as double) as effective_cost_per_1m_tokens,
        cast(
            effective_cost / nullif(sum(effective_cost) over (partition by charge_month, billing_currency), 0)
            as double
        ) as share_of_month_effective_cost,
        cast(previous_effective_cost as double) as previous_month_effective_cost,
        cast(round(effective_cost - coalesce(previous_effective_cost, 0), 2) as double)
            as effective_cost_change,
        cast((effective_cost - previous_effective_cost) / nullif(previous_effective_cost, 0) as double)
            as effective_cost_change_ratio,
        last_charge_date = cast({{ dbt.last_day('charge_month', 'month') }} as date) as is_complete_month
    from compared
)

select * from final
