-- The mart's monthly cost equals, to the cent, the totals the loader logged for the run that is current in
-- each partition (the latest `loaded` or `replaced` event of each billing month and export scope).
with events as (
    select
        billing_month,
        export_scope,
        total_billed_cost,
        row_count,
        row_number() over (partition by billing_month, export_scope order by logged_at desc, run_id desc) as recency
    from {{ source('cost_exports', 'ingestion_log') }}
    where event in ('loaded', 'replaced') and table_name = 'focus_cost'
),

logged as (
    select billing_month, sum(total_billed_cost) as logged_cost, sum(row_count) as logged_rows
    from events
    where recency = 1
    group by billing_month
)

select
    coalesce(mart.billing_month, logged.billing_month) as billing_month,
    mart.billed_cost,
    logged.logged_cost,
    mart.cost_rows,
    logged.logged_rows
from {{ ref('fixture_mart_monthly_cost') }} as mart
full outer join logged on mart.billing_month = logged.billing_month
where
    mart.billing_month is null
    or logged.billing_month is null
    or abs(mart.billed_cost - logged.logged_cost) >= 0.005
    or mart.cost_rows != logged.logged_rows
