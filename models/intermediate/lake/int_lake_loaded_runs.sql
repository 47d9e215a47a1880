-- The run each billing month and export scope should hold: of every run the loader committed, the newest by
-- submitted time (then run id), unless the partition was retired since (overlapping export scopes). Worked out
-- from the log alone, so reconciliation tests catch a lake that holds something else (an older run, or two runs
-- of one month added together).
with ingestion_log as (
    select * from {{ ref('stg_lake__ingestion_log') }}
    where status in ('loaded', 'replaced', 'recovered')
),

-- Partitions the loader moved out of the lake because a broader export scope holds their costs.
retirements as (
    select
        table_name,
        billing_month,
        export_scope,
        max(logged_at) as retired_at
    from {{ ref('stg_lake__ingestion_log') }}
    where status = 'retired_overlap'
    group by table_name, billing_month, export_scope
),

ranked as (
    select
        *,
        row_number() over (
            partition by table_name, billing_month, export_scope
            order by submitted_time desc, run_id desc, logged_at desc
        ) as recency_rank
    from ingestion_log
),

loaded_runs as (
    select
        ranked.table_name,
        ranked.billing_month,
        ranked.export_scope,
        ranked.scope_key,
        ranked.export_name,
        ranked.export_type,
        ranked.data_version,
        ranked.run_id,
        ranked.submitted_time,
        ranked.logged_at as loaded_at,
        ranked.row_count,
        ranked.billed_cost_total,
        ranked.effective_cost_total,
        ranked.value_total
    from ranked
    left join retirements
        on
            ranked.table_name = retirements.table_name
            and ranked.billing_month = retirements.billing_month
            and ranked.export_scope = retirements.export_scope
    where
        ranked.recency_rank = 1
        and (retirements.retired_at is null or retirements.retired_at < ranked.logged_at)
)

select * from loaded_runs
