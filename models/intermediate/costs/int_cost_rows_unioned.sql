-- Cost rows of every export flavour under their FOCUS 1.2 names: FocusCost rows (every data version) one row per
-- source row, legacy cost details one row per charge (ActualCost and AmortizedCost paired in
-- int_cost_details_paired), with the loader's lineage as `x_` columns. Nothing is normalised yet: see
-- int_cost_rows_normalized.
--
-- Precedence: the same costs can arrive as FocusCost and as ActualCost / AmortizedCost for one export scope and
-- billing month. FocusCost wins: legacy rows of a (scope, month) that has FocusCost rows are left out, so no cost
-- is counted twice (tests/reconciliation proves it per dataset, month and scope).
--
-- A table, not a view: the meter classification, the normalisation and their tests all read it, and pairing
-- the legacy datasets (a full outer join) should run once per build, not once per reader.
{{ config(materialized='table') }}

with focus_cost as (
    select * from {{ ref('stg_cost_exports__focus_cost') }}
),

focus_cost_partitions as (
    select distinct
        lake_billing_month,
        lake_export_scope
    from focus_cost
),

cost_details as (
    select paired.*
    from {{ ref('int_cost_details_paired') }} as paired
    left join focus_cost_partitions
        on
            paired.lake_billing_month = focus_cost_partitions.lake_billing_month
            and paired.lake_export_scope = focus_cost_partitions.lake_export_scope
    where focus_cost_partitions.lake_billing_month is null
),

cost_details_as_focus as (
    {{ cost_details_as_focus('cost_details') }}
),

unioned as (
    select
        {%- for lake_column, column in lineage_columns().items() %}
        {{ lake_column }} as {{ column }},
        {%- endfor %}
        cast('FocusCost' as {{ dbt.type_string() }}) as x_SourceDataset,
        lake_run_id as x_BilledCostRunId,
        lake_run_id as x_EffectiveCostRunId,
        cast('Exported' as {{ dbt.type_string() }}) as x_CostDerivation,
        {{ (focus_cost_columns() + microsoft_x_columns()) | join(',\n        ') }}
    from focus_cost

    union all

    select
        {{ (lineage_columns().values() | list + cost_source_columns() + focus_cost_columns() + microsoft_x_columns())
            | join(',\n        ') }}
    from cost_details_as_focus
)

select * from unioned
