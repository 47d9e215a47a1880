-- The run each billing month and export scope should hold: of every run the loader committed, the newest by
-- submitted time (then run id). Worked out from the log alone, so reconciliation tests catch a lake that holds
-- something else (an older run, or two runs of one month added together).
with ingestion_log as (
    select * from {{ ref('stg_lake__ingestion_log') }}
    where status in ('loaded', 'replaced', 'recovered')
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
        table_name,
        billing_month,
        export_scope,
        scope_key,
        export_name,
        export_type,
        data_version,
        run_id,
        submitted_time,
        logged_at as loaded_at,
        row_count,
        billed_cost_total,
        effective_cost_total,
        value_total
    from ranked
    where recency_rank = 1
)

select * from loaded_runs
