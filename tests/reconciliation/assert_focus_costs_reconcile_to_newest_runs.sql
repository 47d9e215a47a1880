-- Nothing lost, nothing counted twice, for every export flavour. For the newest loaded run of every dataset,
-- billing month and export scope (int_lake_loaded_runs, worked out from the ingestion log), focus_costs holds
-- exactly the rows that run supplied, and their costs equal the run's totals to the cent:
--   * a FocusCost run: its rows, their BilledCost and their EffectiveCost;
--   * an ActualCost run: the rows whose BilledCost it supplied (x_BilledCostRunId) and their BilledCost;
--   * an AmortizedCost run: the rows whose EffectiveCost it supplied (x_EffectiveCostRunId) and their EffectiveCost;
--   * an ActualCost / AmortizedCost run of a month and scope that also has a FocusCost run: nothing (FocusCost
--     wins, so the same costs are never added twice).
-- And every row of focus_costs comes from such a run. Returns the runs (and orphan rows) that disagree.
with newest_runs as (
    select * from {{ ref('int_lake_loaded_runs') }}
    where table_name in ('focus_cost', 'actual_cost', 'amortized_cost')
),

focus_cost_partitions as (
    select
        billing_month,
        export_scope
    from newest_runs
    where table_name = 'focus_cost'
),

expected as (
    select
        newest_runs.table_name,
        newest_runs.billing_month,
        newest_runs.export_scope,
        newest_runs.run_id,
        newest_runs.table_name <> 'focus_cost' and focus_cost_partitions.billing_month is not null as is_superseded,
        newest_runs.row_count,
        newest_runs.billed_cost_total,
        newest_runs.effective_cost_total
    from newest_runs
    left join focus_cost_partitions
        on
            newest_runs.billing_month = focus_cost_partitions.billing_month
            and newest_runs.export_scope = focus_cost_partitions.export_scope
),

billed_side as (
    select
        x_BilledCostRunId as run_id,
        count(*) as row_count,
        sum(BilledCost) as cost_total
    from {{ ref('focus_costs') }}
    where x_BilledCostRunId is not null
    group by x_BilledCostRunId
),

effective_side as (
    select
        x_EffectiveCostRunId as run_id,
        count(*) as row_count,
        sum(EffectiveCost) as cost_total
    from {{ ref('focus_costs') }}
    where x_EffectiveCostRunId is not null
    group by x_EffectiveCostRunId
),

compared as (
    select
        expected.table_name,
        expected.billing_month,
        expected.export_scope,
        expected.run_id,
        expected.is_superseded,
        expected.row_count as run_rows,
        coalesce(billed_side.row_count, 0) as billed_rows,
        coalesce(effective_side.row_count, 0) as effective_rows,
        expected.billed_cost_total as run_billed_cost,
        coalesce(billed_side.cost_total, 0) as focus_costs_billed_cost,
        expected.effective_cost_total as run_effective_cost,
        coalesce(effective_side.cost_total, 0) as focus_costs_effective_cost
    from expected
    left join billed_side on expected.run_id = billed_side.run_id
    left join effective_side on expected.run_id = effective_side.run_id
),

disagreements as (
    select
        'run' as problem,
        table_name,
        billing_month,
        export_scope,
        run_id,
        run_rows,
        billed_rows,
        effective_rows,
        run_billed_cost,
        focus_costs_billed_cost,
        run_effective_cost,
        focus_costs_effective_cost
    from compared
    where
        (is_superseded and (billed_rows <> 0 or effective_rows <> 0))
        or (
            not is_superseded
            and table_name = 'focus_cost'
            and (
                billed_rows <> run_rows
                or effective_rows <> run_rows
                or abs(focus_costs_billed_cost - run_billed_cost) >= 0.005
                or abs(focus_costs_effective_cost - run_effective_cost) >= 0.005
            )
        )
        or (
            not is_superseded
            and table_name = 'actual_cost'
            and (
                billed_rows <> run_rows
                or effective_rows <> 0
                or abs(focus_costs_billed_cost - coalesce(run_billed_cost, 0)) >= 0.005
            )
        )
        or (
            not is_superseded
            and table_name = 'amortized_cost'
            and (
                effective_rows <> run_rows
                or billed_rows <> 0
                or abs(focus_costs_effective_cost - coalesce(run_effective_cost, 0)) >= 0.005
            )
        )

    union all

    -- rows supplied by a run that is not a newest loaded run, or by no run at all
    select
        'orphan rows' as problem,
        x_SourceDataset as table_name,
        x_BillingMonth as billing_month,
        x_ExportScope as export_scope,
        coalesce(x_BilledCostRunId, x_EffectiveCostRunId) as run_id,
        count(*) as run_rows,
        cast(null as bigint) as billed_rows,
        cast(null as bigint) as effective_rows,
        cast(null as double) as run_billed_cost,
        sum(BilledCost) as focus_costs_billed_cost,
        cast(null as double) as run_effective_cost,
        sum(EffectiveCost) as focus_costs_effective_cost
    from {{ ref('focus_costs') }}
    where
        coalesce(x_BilledCostRunId, x_EffectiveCostRunId) is null
        or coalesce(x_BilledCostRunId, x_EffectiveCostRunId) not in (select newest_runs.run_id from newest_runs)
    group by
        x_SourceDataset,
        x_BillingMonth,
        x_ExportScope,
        coalesce(x_BilledCostRunId, x_EffectiveCostRunId)
)

select * from disagreements
