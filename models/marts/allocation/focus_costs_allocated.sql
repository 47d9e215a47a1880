-- The AI rows of focus_costs split by allocation, as FOCUS 1.3 allocated charges: one row per origin charge and
-- target. Dimensions and unit prices are the origin charge's; costs and quantities are the origin's times the
-- target's share (full precision, so the allocated charges of an origin charge add up to it); the allocation
-- columns say how (AllocatedMethodId, AllocatedMethodDetails), to what (AllocatedResourceId/-Name) and to whom
-- (AllocatedTags). Incremental by billing month: a month is rebuilt when its cost rows, the seeds or its other
-- allocation inputs changed (int_allocation_billing_months; docs/incremental.md).
{#- The month column, the state columns on every row, the months model they are compared with, and a statement
    per month: the join of every wide cost row with its splits is too large for one (docs/benchmarks.md). -#}
{%- set month_state = {
    'month_column': 'x_BillingMonth', 'ingested_at_column': 'x_BillingMonthIngestedAt',
    'checksum_column': 'x_SeedsChecksum', 'fingerprint_column': 'x_AllocationFingerprint',
    'months_model': 'int_allocation_billing_months', 'one_month_at_a_time': true,
} %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set split_metrics = [
    'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ConsumedQuantity', 'PricingQuantity',
    'CommitmentDiscountQuantity', 'x_BilledCostInUsd', 'x_EffectiveCostInUsd', 'x_ListCostInUsd',
    'x_ContractedCostInUsd', 'x_OnDemandCost', 'x_OnDemandCostInUsd',
] %}
{#- Every meter column but the model developer, which this mart has never carried. -#}
{%- set ai_columns = aoai_finops.ai_meter_columns() | reject('equalto', 'x_AiModelDeveloper') | list %}
{%- set origin_columns = aoai_finops.focus_cost_columns() + aoai_finops.microsoft_x_columns()
    + aoai_finops.lineage_columns().values() | list + ai_columns %}

with cost_rows as (
    select * from {{ ref('focus_costs') }}
    where {{ aoai_finops.billing_months_in('x_BillingMonth', plan) }}
),

splits as (
    select * from {{ ref('int_cost_allocation_splits') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

input_months as (
    select * from {{ ref('int_allocation_billing_months') }}
),

joined as (
    select
        {%- for column in origin_columns %}
        {%- if column in split_metrics %}
        cost_rows.{{ column }} * splits.allocation_share as {{ column }},
        {%- else %}
        cost_rows.{{ column }},
        {%- endif %}
        {%- endfor %}
        splits.allocation_split_id,
        splits.allocation_row_id,
        splits.allocation_method,
        splits.allocation_rule_order,
        splits.fallback_reasons,
        splits.unallocated_reason,
        splits.allocation_share,
        splits.basis_unit,
        splits.basis_quantity,
        splits.allocated_tokens,
        splits.deployment_name,
        splits.target_resource_id,
        {%- for key in aoai_finops.allocation_keys() %}
        splits.{{ key }},
        {%- endfor %}
        cost_rows.ResourceName as origin_resource_name,
        cost_rows.x_BillingMonthIngestedAt,
        cost_rows.x_SeedsChecksum,
        input_months.fingerprint as allocation_fingerprint,
        case
            when splits.basis_unit is null then ''
            else
                ',"UsageUnit":"' || splits.basis_unit || '"'
                || coalesce(',"UsageQuantity":' || {{ aoai_finops.json_number('splits.basis_quantity', 6) }}, '')
        end as usage_json
    from splits
    inner join cost_rows on splits.allocation_row_id = cost_rows.x_CostRowId
    inner join input_months on splits.billing_month = input_months.billing_month
),

final as (
    select
        {%- for column in origin_columns %}
        {{ column }},
        {%- endfor %}
        allocation_method as AllocatedMethodId,
        '{"Elements":[{"AllocatedRatio":' || {{ aoai_finops.json_number('allocation_share') }} || usage_json
        || '}],"x_Allocation":'
        || {{ aoai_finops.json_object_from_pairs([
            ('Method', 'allocation_method'),
            ('RuleOrder', 'allocation_rule_order'),
            ('FallbackReasons', 'fallback_reasons'),
            ('UnallocatedReason', 'unallocated_reason'),
            ('Deployment', 'deployment_name'),
        ]) }}
        || '}' as AllocatedMethodDetails,
        case
            when deployment_name is not null then target_resource_id || '/deployments/' || lower(deployment_name)
            else target_resource_id
        end as AllocatedResourceId,
        coalesce(
            deployment_name,
            case when target_resource_id = ResourceId then origin_resource_name end,
            {{ dbt.split_part('target_resource_id', "'/'", -1) }}
        ) as AllocatedResourceName,
        {{ aoai_finops.json_object_from_pairs([
            ('aoai-finops/cost_center', 'cost_center'),
            ('aoai-finops/application', 'application'),
            ('aoai-finops/team', 'team'),
            ('aoai-finops/environment', 'environment'),
        ]) }} as AllocatedTags,
        allocation_row_id as x_AllocationOriginChargeId,
        allocation_split_id as x_AllocationSplitId,
        cast(allocation_share as double) as x_AllocatedRatio,
        cast(allocation_rule_order as integer) as x_AllocationRuleOrder,
        fallback_reasons as x_AllocationFallbackReasons,
        unallocated_reason as x_UnallocatedReason,
        cost_center as x_AllocatedCostCenter,
        application as x_AllocatedApplication,
        team as x_AllocatedTeam,
        environment as x_AllocatedEnvironment,
        cast(allocated_tokens as double) as x_AllocatedTokens,
        x_BillingMonthIngestedAt,
        x_SeedsChecksum,
        allocation_fingerprint as x_AllocationFingerprint
    from joined
)

select * from final
