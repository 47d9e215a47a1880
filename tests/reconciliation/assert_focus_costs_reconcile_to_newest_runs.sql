-- Nothing lost, nothing counted twice: for every billing month and export scope, focus_costs holds exactly the
-- rows of the newest loaded run, and its BilledCost and EffectiveCost equal that run's totals to the cent.
-- Returns the months that disagree.
with newest_runs as (
    select * from {{ ref('int_lake_loaded_runs') }}
    where table_name = 'focus_cost'
),

focus_costs_by_month as (
    select
        x_BillingMonth as billing_month,
        x_ExportScope as export_scope,
        count(distinct x_IngestionRunId) as run_count,
        max(x_IngestionRunId) as run_id,
        count(*) as row_count,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ ref('focus_costs') }}
    group by x_BillingMonth, x_ExportScope
),

compared as (
    select
        coalesce(newest_runs.billing_month, focus_costs_by_month.billing_month) as billing_month,
        coalesce(newest_runs.export_scope, focus_costs_by_month.export_scope) as export_scope,
        newest_runs.run_id as newest_run_id,
        focus_costs_by_month.run_id as focus_costs_run_id,
        focus_costs_by_month.run_count as focus_costs_run_count,
        newest_runs.row_count as newest_run_rows,
        focus_costs_by_month.row_count as focus_costs_rows,
        newest_runs.billed_cost_total as newest_run_billed_cost,
        focus_costs_by_month.billed_cost as focus_costs_billed_cost,
        newest_runs.effective_cost_total as newest_run_effective_cost,
        focus_costs_by_month.effective_cost as focus_costs_effective_cost
    from newest_runs
    full outer join focus_costs_by_month
        on
            newest_runs.billing_month = focus_costs_by_month.billing_month
            and newest_runs.export_scope = focus_costs_by_month.export_scope
)

select * from compared
where
    newest_run_id is null
    or focus_costs_run_id is null
    or focus_costs_run_count <> 1
    or newest_run_id <> focus_costs_run_id
    or newest_run_rows <> focus_costs_rows
    or abs(newest_run_billed_cost - focus_costs_billed_cost) >= 0.005
    or abs(newest_run_effective_cost - focus_costs_effective_cost) >= 0.005
