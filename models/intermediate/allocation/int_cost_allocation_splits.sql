-- Every AI cost row split over its allocation targets: one row per cost row and target, with the share of the
-- row each target gets (the shares of a row add up to 1) and the exact (unrounded) amounts. A row takes the
-- targets of the rule that splits its pool (int_allocation_pool_decisions); a pool no rule can split is one
-- `unallocated` target keeping the keys the resource has. A commitment purchase (the PTU reservation bought on the
-- 1st) follows the effective cost its reservation covered in that billing month.
-- Incremental by billing month, like the rest of the allocation chain (int_allocation_billing_months).
{%- set month_state = aoai_finops.allocation_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set keys = aoai_finops.allocation_keys() %}
{%- set unallocated = aoai_finops.unallocated_value() %}

with cost_rows as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('int_allocation_cost_rows') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

decisions as (
    select * from {{ ref('int_allocation_pool_decisions') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

candidates as (
    select * from {{ ref('int_allocation_pool_candidates') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

resource_keys as (
    select * from {{ ref('int_allocation_resource_keys') }}
),

-- A PTU pool's telemetry tokens go to its rows in proportion to their PTU-hours (evenly when it has none). Only
-- PTU rows, few and narrow: a window over every cost row with all its columns costs more than the rest of the split.
ptu_row_weights as (
    select
        allocation_row_id,
        coalesce(
            consumed_quantity / nullif(sum(consumed_quantity) over (partition by pool_id), 0),
            cast(1 as double) / count(*) over (partition by pool_id)
        ) as pool_row_weight
    from cost_rows
    where allocation_pool_kind = 'ptu'
),

-- Each pool with the targets of the rule that splits it (one row without a target when no rule can), so that the
-- cost rows are joined once, to both.
pool_targets as (
    select
        decisions.pool_id,
        decisions.allocation_method,
        decisions.allocation_rule_order,
        decisions.fallback_reasons,
        decisions.unallocated_reason as pool_unallocated_reason,
        candidates.pool_id is not null as has_target,
        candidates.deployment_name,
        {%- for key in keys %}
        candidates.{{ key }},
        {%- endfor %}
        candidates.unallocated_reason,
        candidates.basis_unit,
        candidates.basis_quantity,
        candidates.allocation_share
    from decisions
    left join candidates
        on
            decisions.pool_id = candidates.pool_id
            and decisions.allocation_rule_order = candidates.rule_order
            and candidates.skip_reason is null
),

usage_rows as {{ aoai_finops.inline_cte() }} (
    select
        cost_rows.*,
        ptu_row_weights.pool_row_weight,
        pool_targets.allocation_method,
        pool_targets.allocation_rule_order,
        pool_targets.fallback_reasons,
        pool_targets.pool_unallocated_reason,
        pool_targets.has_target,
        pool_targets.deployment_name,
        {%- for key in keys %}
        pool_targets.{{ key }} as target_{{ key }},
        {%- endfor %}
        pool_targets.unallocated_reason,
        pool_targets.basis_unit,
        pool_targets.basis_quantity,
        pool_targets.allocation_share
    from cost_rows
    inner join pool_targets on cost_rows.pool_id = pool_targets.pool_id
    left join ptu_row_weights on cost_rows.allocation_row_id = ptu_row_weights.allocation_row_id
),

usage_splits as {{ aoai_finops.inline_cte() }} (
    select
        allocation_row_id,
        billing_month,
        commitment_discount_id,
        allocation_pool_kind,
        allocation_method,
        allocation_rule_order,
        fallback_reasons,
        resource_id as target_resource_id,
        deployment_name,
        {%- for key in keys %}
        target_{{ key }} as {{ key }},
        {%- endfor %}
        unallocated_reason,
        basis_unit,
        basis_quantity,
        allocation_share,
        case
            when allocation_pool_kind = 'tokens'
                then tokens * allocation_share
            when allocation_pool_kind = 'ptu' and allocation_method = 'telemetry'
                then basis_quantity * pool_row_weight
            else cast(0 as double)
        end as allocated_tokens,
        billed_cost * allocation_share as allocated_billed_cost,
        effective_cost * allocation_share as allocated_effective_cost
    from usage_rows
    where has_target
    union all
    -- What no rule could split: one unallocated target that keeps the keys the account has, so the cost stays
    -- with the account's cost center in showback.
    select
        usage_rows.allocation_row_id,
        usage_rows.billing_month,
        usage_rows.commitment_discount_id,
        usage_rows.allocation_pool_kind,
        usage_rows.allocation_method,
        usage_rows.allocation_rule_order,
        usage_rows.fallback_reasons,
        usage_rows.resource_id as target_resource_id,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        {{ unallocated if key == 'application' else 'resource_keys.' ~ key }} as {{ key }},
        {%- endfor %}
        usage_rows.pool_unallocated_reason as unallocated_reason,
        cast(null as string) as basis_unit,
        cast(null as double) as basis_quantity,
        cast(1 as double) as allocation_share,
        usage_rows.tokens as allocated_tokens,
        usage_rows.billed_cost as allocated_billed_cost,
        usage_rows.effective_cost as allocated_effective_cost
    from usage_rows
    left join resource_keys
        on
            usage_rows.resource_id = resource_keys.resource_id
            and usage_rows.charge_date = resource_keys.charge_date
    where usage_rows.allocation_method = 'unallocated'
),

covered_usage as (
    -- What each reservation covered in the purchase's billing month, per target.
    select
        billing_month,
        commitment_discount_id,
        target_resource_id,
        deployment_name,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unallocated_reason,
        sum(allocated_effective_cost) as covered_effective_cost
    from usage_splits
    where commitment_discount_id is not null
    group by
        billing_month,
        commitment_discount_id,
        target_resource_id,
        deployment_name,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unallocated_reason
),

covered_shares as (
    select
        *,
        covered_effective_cost / sum(covered_effective_cost) over (
            partition by billing_month, commitment_discount_id
        ) as allocation_share
    from covered_usage
    where covered_effective_cost > 0
),

purchase_splits as (
    select
        purchases.allocation_row_id,
        purchases.billing_month,
        purchases.commitment_discount_id,
        purchases.allocation_pool_kind,
        case when covered_shares.allocation_share is null then 'unallocated' else 'commitment_usage' end
            as allocation_method,
        cast(null as integer) as allocation_rule_order,
        cast(null as string) as fallback_reasons,
        coalesce(covered_shares.target_resource_id, purchases.resource_id) as target_resource_id,
        covered_shares.deployment_name,
        {%- for key in keys %}
        {%- if key == 'application' %}
        coalesce(covered_shares.{{ key }}, {{ unallocated }}) as {{ key }},
        {%- else %}
        coalesce(covered_shares.{{ key }}, resource_keys.{{ key }}) as {{ key }},
        {%- endif %}
        {%- endfor %}
        case
            when covered_shares.allocation_share is null then 'commitment_without_covered_usage'
            else covered_shares.unallocated_reason
        end as unallocated_reason,
        case when covered_shares.allocation_share is not null then 'EffectiveCost' end as basis_unit,
        covered_shares.covered_effective_cost as basis_quantity,
        coalesce(covered_shares.allocation_share, cast(1 as double)) as allocation_share,
        cast(0 as double) as allocated_tokens,
        purchases.billed_cost * coalesce(covered_shares.allocation_share, 1) as allocated_billed_cost,
        purchases.effective_cost * coalesce(covered_shares.allocation_share, 1) as allocated_effective_cost
    from cost_rows as purchases
    left join covered_shares
        on
            purchases.billing_month = covered_shares.billing_month
            and purchases.commitment_discount_id = covered_shares.commitment_discount_id
    left join resource_keys
        on
            purchases.resource_id = resource_keys.resource_id
            and purchases.charge_date = resource_keys.charge_date
    where purchases.allocation_pool_kind = 'commitment_purchase'
),

splits as (
    select * from usage_splits
    union all
    select * from purchase_splits
)

select
    {{ aoai_finops.surrogate_key([
        'splits.allocation_row_id', 'splits.target_resource_id', 'splits.deployment_name', 'splits.cost_center',
        'splits.application', 'splits.team', 'splits.environment', 'splits.unallocated_reason',
    ]) }} as allocation_split_id,
    splits.allocation_row_id,
    splits.billing_month,
    splits.allocation_pool_kind,
    splits.allocation_method,
    cast(splits.allocation_rule_order as integer) as allocation_rule_order,
    splits.fallback_reasons,
    splits.target_resource_id,
    splits.deployment_name,
    {%- for key in keys %}
    coalesce(splits.{{ key }}, {{ unallocated }}) as {{ key }},
    {%- endfor %}
    splits.unallocated_reason,
    splits.unallocated_reason is null as is_allocated,
    splits.basis_unit,
    cast(splits.basis_quantity as double) as basis_quantity,
    cast(splits.allocation_share as double) as allocation_share,
    cast(splits.allocated_tokens as double) as allocated_tokens,
    cast(splits.allocated_billed_cost as double) as allocated_billed_cost,
    cast(splits.allocated_effective_cost as double) as allocated_effective_cost,
    {{ aoai_finops.allocation_month_state_columns('input_months') }}
from splits
inner join {{ ref('int_allocation_billing_months') }} as input_months
    on splits.billing_month = input_months.billing_month
