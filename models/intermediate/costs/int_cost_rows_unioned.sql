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
-- the legacy datasets (a full outer join) should run once per build, not once per reader. Incremental by
-- billing month: an incremental run reads and rewrites only the months whose ingestion changed
-- (docs/incremental.md).
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('x_BillingMonth', 'x_BillingMonthIngestedAt')
) }}
{%- set plan = aoai_finops.billing_month_plan('x_BillingMonth', 'x_BillingMonthIngestedAt') %}

with focus_cost as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('stg_cost_exports__focus_cost') }}
    where {{ aoai_finops.billing_months_in('lake_billing_month', plan) }}
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
    where
        focus_cost_partitions.lake_billing_month is null
        and {{ aoai_finops.billing_months_in('paired.lake_billing_month', plan) }}
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
),

month_states as (
    select
        billing_month,
        ingested_at
    from {{ ref('int_lake_billing_months') }}
)

select
    unioned.*,
    month_states.ingested_at as x_BillingMonthIngestedAt
from unioned
left join month_states
    on unioned.x_BillingMonth = month_states.billing_month
