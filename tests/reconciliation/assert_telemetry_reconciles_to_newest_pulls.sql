-- Nothing lost, nothing counted twice, for token telemetry: for every month and scope (Azure OpenAI account or
-- APIM service), the staging model holds exactly the rows of the newest loaded pull, and its token sum equals
-- the sum the loader computed from that pull's file. Returns the months that disagree.
with newest_pulls as (
    select
        table_name,
        billing_month,
        export_scope,
        run_id,
        row_count,
        value_total
    from {{ ref('int_lake_loaded_runs') }}
    where table_name in ('telemetry_azure_monitor', 'telemetry_apim')
),

staged as (
    select
        'telemetry_azure_monitor' as table_name,
        billing_month,
        resource_id as export_scope,
        count(distinct run_id) as run_count,
        max(run_id) as run_id,
        count(*) as row_count,
        sum(total) as value_total
    from {{ ref('stg_telemetry__azure_monitor_metrics') }}
    group by billing_month, resource_id

    union all

    select
        'telemetry_apim' as table_name,
        billing_month,
        apim_service as export_scope,
        count(distinct run_id) as run_count,
        max(run_id) as run_id,
        count(*) as row_count,
        sum(value_sum) as value_total
    from {{ ref('stg_telemetry__apim_token_metrics') }}
    group by billing_month, apim_service
),

compared as (
    select
        coalesce(newest_pulls.table_name, staged.table_name) as table_name,
        coalesce(newest_pulls.billing_month, staged.billing_month) as billing_month,
        coalesce(newest_pulls.export_scope, staged.export_scope) as export_scope,
        newest_pulls.run_id as newest_run_id,
        staged.run_id as staged_run_id,
        staged.run_count as staged_run_count,
        newest_pulls.row_count as newest_run_rows,
        staged.row_count as staged_rows,
        newest_pulls.value_total as newest_run_value_total,
        staged.value_total as staged_value_total
    from newest_pulls
    full outer join staged
        on
            newest_pulls.table_name = staged.table_name
            and newest_pulls.billing_month = staged.billing_month
            and newest_pulls.export_scope = staged.export_scope
)

select * from compared
where
    newest_run_id is null
    or staged_run_id is null
    or staged_run_count <> 1
    or newest_run_id <> staged_run_id
    or newest_run_rows <> staged_rows
    or abs(coalesce(newest_run_value_total, 0) - coalesce(staged_value_total, 0)) >= 0.5
