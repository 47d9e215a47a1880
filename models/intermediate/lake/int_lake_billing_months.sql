-- One row per billing month the lake holds cost data for, with the time of the newest ingestion-log entry that
-- changed which runs the month holds (a run loaded, replaced or recovered, a partition retired). Incremental
-- models keep that time on their rows and rebuild a month when it differs (macros/incremental/billing_months.sql,
-- docs/incremental.md). Cost tables only: telemetry does not feed the cost models.

with changes as (
    select
        billing_month,
        max(logged_at) as ingested_at
    from {{ ref('stg_lake__ingestion_log') }}
    where
        table_name in ('focus_cost', 'actual_cost', 'amortized_cost')
        and status in ('loaded', 'replaced', 'recovered', 'retired_overlap')
    group by billing_month
),

held_months as (
    select
        billing_month,
        count(*) as partition_count
    from {{ ref('int_lake_loaded_runs') }}
    where table_name in ('focus_cost', 'actual_cost', 'amortized_cost')
    group by billing_month
)

select
    cast(held_months.billing_month as string) as billing_month,
    cast(changes.ingested_at as timestamp) as ingested_at,
    cast(held_months.partition_count as bigint) as partition_count
from held_months
inner join changes
    on held_months.billing_month = changes.billing_month
