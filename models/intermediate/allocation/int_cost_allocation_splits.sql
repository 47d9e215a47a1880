-- Every AI cost row split over its allocation targets: one row per cost row and target, with the share of the
-- row each target gets (shares of a row add up to 1) and the exact (unrounded) amounts.
--
-- Rows are split in pools: the rows of one day, account, model, deployment type, batch flag and token direction
-- (token meters), of one day, account and PTU deployment type (provisioned throughput), or of one day and account
-- (other AI charges, credits without a meter). Each pool takes the first rule of its account (allocation_rules,
-- most specific first: account and model, account, `*`) that can split it:
--   telemetry  token shares of the deployments that serve the pool (int_allocation_token_shares_daily); skipped
--              when no such deployment has tokens that day or one of them has a telemetry gap
--   tags       the whole pool to the resource's keys; skipped when a required key is missing
--   even       evenly over allocation_split_targets; fixed: by their percentages
-- A pool no rule can split is unallocated, with the reason of the last rule tried. A commitment purchase (the
-- PTU reservation bought on the 1st) follows the effective cost its reservation covered that billing month.
{%- set pool_key = [
    'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
    'allocation_pool_kind', 'model_name', 'deployment_type', 'is_batch', 'token_direction',
] %}
{%- set keys = aoai_finops.allocation_keys() %}
{%- set unallocated = aoai_finops.unallocated_value() %}

with cost_rows as (
    select
        *,
        {{ aoai_finops.surrogate_key(pool_key) }} as pool_id
    from {{ ref('int_allocation_cost_rows') }}
),

weighted_rows as (
    -- A pool's telemetry tokens go to its rows in proportion to their consumed quantity (PTU-hours).
    select
        *,
        coalesce(
            consumed_quantity / nullif(sum(consumed_quantity) over (partition by pool_id), 0),
            cast(1 as double) / count(*) over (partition by pool_id)
        ) as pool_row_weight
    from cost_rows
    where allocation_pool_kind <> 'commitment_purchase'
),

pools as (
    select
        pool_id,
        {{ pool_key | join(',\n        ') }},
        max(account_name) as account_name
    from weighted_rows
    group by pool_id, {{ pool_key | join(', ') }}
),

rules as (
    select
        lower(trim(account)) as account_name,
        lower(nullif(trim(model_name), '')) as model_name,
        rule_order,
        lower(trim(method)) as rule_method
    from {{ ref('allocation_rules') }}
),

pool_rule_candidates as (
    select
        pools.pool_id,
        rules.rule_order,
        rules.rule_method,
        case when rules.account_name = '*' then 0 else 2 end
        + case when rules.model_name is null then 0 else 1 end as specificity
    from pools
    inner join rules
        on
            (pools.account_name = rules.account_name or rules.account_name = '*')
            and (pools.model_name = rules.model_name or rules.model_name is null)
),

pool_rules as (
    select
        pool_id,
        rule_order,
        rule_method
    from (
        select
            *,
            max(specificity) over (partition by pool_id) as top_specificity
        from pool_rule_candidates
    ) as ranked
    where specificity = top_specificity
),

token_shares as (
    select * from {{ ref('int_allocation_token_shares_daily') }}
),

telemetry_basis as (
    -- The deployments whose tokens split each pool: same model and direction on a deployment whose SKU matches
    -- the meter (or is not declared) for token meters, the declared PTU deployments for PTU hours, every
    -- deployment of the account for other charges.
    select
        pools.pool_id,
        token_shares.deployment_name,
        {%- for key in keys %}
        token_shares.{{ key }},
        {%- endfor %}
        token_shares.unallocated_reason,
        token_shares.is_gap,
        token_shares.tokens
    from pools
    inner join token_shares
        on
            pools.charge_date = token_shares.charge_date
            and pools.resource_id = token_shares.resource_id
    where
        (
            pools.allocation_pool_kind = 'tokens'
            and pools.model_name = token_shares.model_name
            and pools.token_direction = token_shares.token_direction
            and (pools.deployment_type = token_shares.deployment_type or token_shares.deployment_type is null)
            and (pools.is_batch = token_shares.is_batch or token_shares.is_batch is null)
        )
        or (
            pools.allocation_pool_kind = 'ptu'
            and coalesce(token_shares.is_provisioned, false)
            and (pools.deployment_type = token_shares.deployment_type or pools.deployment_type = 'not_applicable')
        )
        or pools.allocation_pool_kind = 'account'
),

telemetry_status as (
    select
        pool_id,
        sum(tokens) as basis_tokens,
        max(case when is_gap then 1 else 0 end) as has_gap
    from telemetry_basis
    group by pool_id
),

resource_keys as (
    select * from {{ ref('int_allocation_resource_keys') }}
),

split_targets as (
    select
        lower(trim(account)) as account_name,
        lower(nullif(trim(model_name), '')) as model_name,
        {%- for key in keys %}
        nullif(trim({{ key }}), '') as {{ key }},
        {%- endfor %}
        cast(percentage as double) as percentage
    from {{ ref('allocation_split_targets') }}
),

pool_split_targets as (
    -- Targets named for the pool's model win over the account's targets for every model.
    select *
    from (
        select
            pools.pool_id,
            {%- for key in keys %}
            split_targets.{{ key }},
            {%- endfor %}
            split_targets.percentage,
            case when split_targets.model_name is null then 0 else 1 end as specificity,
            max(case when split_targets.model_name is null then 0 else 1 end) over (partition by pools.pool_id)
                as top_specificity
        from pools
        inner join split_targets
            on
                pools.account_name = split_targets.account_name
                and (pools.model_name = split_targets.model_name or split_targets.model_name is null)
    ) as ranked
    where specificity = top_specificity
),

split_status as (
    select
        pool_id,
        count(*) as target_count,
        sum(case when percentage > 0 then percentage else 0 end) as percentage_total
    from pool_split_targets
    group by pool_id
),

evaluated as (
    select
        pool_rules.pool_id,
        pool_rules.rule_order,
        pool_rules.rule_method,
        case
            when pool_rules.rule_method = 'telemetry' and telemetry_status.has_gap = 1 then 'telemetry_gap'
            when pool_rules.rule_method = 'telemetry' and coalesce(telemetry_status.basis_tokens, 0) <= 0
                then 'no_telemetry'
            when pool_rules.rule_method = 'tags' and resource_keys.resource_id is null then 'no_resource'
            when pool_rules.rule_method = 'tags' then resource_keys.missing_keys_reason
            when pool_rules.rule_method = 'even' and coalesce(split_status.target_count, 0) = 0 then 'no_split_targets'
            when pool_rules.rule_method = 'fixed' and coalesce(split_status.percentage_total, 0) <= 0
                then 'no_split_percentages'
            when pool_rules.rule_method not in ('telemetry', 'tags', 'even', 'fixed') then 'unknown_method'
        end as skip_reason
    from pool_rules
    inner join pools on pool_rules.pool_id = pools.pool_id
    left join telemetry_status on pool_rules.pool_id = telemetry_status.pool_id
    left join resource_keys
        on
            pools.resource_id = resource_keys.resource_id
            and pools.charge_date = resource_keys.charge_date
    left join split_status on pool_rules.pool_id = split_status.pool_id
),

chosen as (
    select
        pool_id,
        min(rule_order) as rule_order
    from evaluated
    where skip_reason is null
    group by pool_id
),

skipped as (
    select
        evaluated.pool_id,
        {{ aoai_finops.string_agg_ordered("evaluated.rule_method || ':' || evaluated.skip_reason", '; ',
                                          order_by='evaluated.rule_order') }} as fallback_reasons,
        max(evaluated.rule_order) as last_rule_order
    from evaluated
    left join chosen on evaluated.pool_id = chosen.pool_id
    where chosen.rule_order is null or evaluated.rule_order < chosen.rule_order
    group by evaluated.pool_id
),

decisions as (
    select
        pools.*,
        coalesce(evaluated.rule_method, 'unallocated') as allocation_method,
        chosen.rule_order as allocation_rule_order,
        skipped.fallback_reasons,
        case
            when chosen.rule_order is not null then cast(null as string)
            when skipped.pool_id is null then 'no_allocation_rule'
            else last_rule.skip_reason
        end as pool_unallocated_reason,
        telemetry_status.basis_tokens as telemetry_tokens
    from pools
    left join chosen on pools.pool_id = chosen.pool_id
    left join evaluated
        on
            chosen.pool_id = evaluated.pool_id
            and chosen.rule_order = evaluated.rule_order
    left join skipped on pools.pool_id = skipped.pool_id
    left join evaluated as last_rule
        on
            skipped.pool_id = last_rule.pool_id
            and skipped.last_rule_order = last_rule.rule_order
    left join telemetry_status on pools.pool_id = telemetry_status.pool_id
),

telemetry_targets as (
    select
        telemetry_basis.pool_id,
        telemetry_basis.deployment_name,
        {%- for key in keys %}
        telemetry_basis.{{ key }},
        {%- endfor %}
        telemetry_basis.unallocated_reason,
        sum(telemetry_basis.tokens) as basis_tokens
    from telemetry_basis
    inner join decisions
        on
            telemetry_basis.pool_id = decisions.pool_id
            and decisions.allocation_method = 'telemetry'
    where telemetry_basis.tokens > 0
    group by
        telemetry_basis.pool_id,
        telemetry_basis.deployment_name,
        {%- for key in keys %}
        telemetry_basis.{{ key }},
        {%- endfor %}
        telemetry_basis.unallocated_reason
),

pool_targets as (
    select
        pool_id,
        deployment_name,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        unallocated_reason,
        basis_tokens,
        'Tokens' as basis_unit,
        basis_tokens / sum(basis_tokens) over (partition by pool_id) as allocation_share
    from telemetry_targets
    union all
    select
        decisions.pool_id,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        resource_keys.{{ key }},
        {%- endfor %}
        cast(null as string) as unallocated_reason,
        cast(null as double) as basis_tokens,
        cast(null as string) as basis_unit,
        cast(1 as double) as allocation_share
    from decisions
    inner join resource_keys
        on
            decisions.resource_id = resource_keys.resource_id
            and decisions.charge_date = resource_keys.charge_date
    where decisions.allocation_method = 'tags'
    union all
    select
        decisions.pool_id,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        coalesce(pool_split_targets.{{ key }}, resource_keys.{{ key }}) as {{ key }},
        {%- endfor %}
        case
            {%- for key in aoai_finops.required_allocation_keys() %}
            when coalesce(pool_split_targets.{{ key }}, resource_keys.{{ key }}) is null
                then 'split_target_without_{{ key }}'
            {%- endfor %}
        end as unallocated_reason,
        case when decisions.allocation_method = 'fixed' then pool_split_targets.percentage end as basis_tokens,
        case when decisions.allocation_method = 'fixed' then 'Percent' else 'Targets' end as basis_unit,
        case
            when decisions.allocation_method = 'fixed'
                then pool_split_targets.percentage / split_status.percentage_total
            else cast(1 as double) / split_status.target_count
        end as allocation_share
    from decisions
    inner join pool_split_targets on decisions.pool_id = pool_split_targets.pool_id
    inner join split_status on decisions.pool_id = split_status.pool_id
    left join resource_keys
        on
            decisions.resource_id = resource_keys.resource_id
            and decisions.charge_date = resource_keys.charge_date
    where
        decisions.allocation_method = 'even'
        or (decisions.allocation_method = 'fixed' and pool_split_targets.percentage > 0)
    union all
    -- What no rule could split: one unallocated target that keeps the account's keys it has, so the cost stays
    -- with the account's cost center in showback.
    select
        decisions.pool_id,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        {{ unallocated if key == 'application' else 'resource_keys.' ~ key }} as {{ key }},
        {%- endfor %}
        decisions.pool_unallocated_reason as unallocated_reason,
        cast(null as double) as basis_tokens,
        cast(null as string) as basis_unit,
        cast(1 as double) as allocation_share
    from decisions
    left join resource_keys
        on
            decisions.resource_id = resource_keys.resource_id
            and decisions.charge_date = resource_keys.charge_date
    where decisions.allocation_method = 'unallocated'
),

usage_splits as (
    select
        weighted_rows.allocation_row_id,
        weighted_rows.pool_id,
        weighted_rows.x_BillingMonth as billing_month,
        weighted_rows.commitment_discount_id,
        weighted_rows.allocation_pool_kind,
        decisions.allocation_method,
        decisions.allocation_rule_order,
        decisions.fallback_reasons,
        weighted_rows.resource_id as target_resource_id,
        pool_targets.deployment_name,
        {%- for key in keys %}
        pool_targets.{{ key }},
        {%- endfor %}
        pool_targets.unallocated_reason,
        pool_targets.basis_unit,
        pool_targets.basis_tokens,
        pool_targets.allocation_share,
        case
            when weighted_rows.allocation_pool_kind = 'tokens'
                then weighted_rows.tokens * pool_targets.allocation_share
            when weighted_rows.allocation_pool_kind = 'ptu' and decisions.allocation_method = 'telemetry'
                then pool_targets.basis_tokens * weighted_rows.pool_row_weight
            else cast(0 as double)
        end as allocated_tokens,
        weighted_rows.billed_cost * pool_targets.allocation_share as allocated_billed_cost,
        weighted_rows.effective_cost * pool_targets.allocation_share as allocated_effective_cost
    from weighted_rows
    inner join decisions on weighted_rows.pool_id = decisions.pool_id
    inner join pool_targets on weighted_rows.pool_id = pool_targets.pool_id
),

purchase_rows as (
    select * from cost_rows
    where allocation_pool_kind = 'commitment_purchase'
),

covered_usage as (
    -- What each reservation covered in the purchase's billing month, per target.
    select
        usage_splits.billing_month,
        usage_splits.commitment_discount_id,
        usage_splits.target_resource_id,
        usage_splits.deployment_name,
        {%- for key in keys %}
        usage_splits.{{ key }},
        {%- endfor %}
        usage_splits.unallocated_reason,
        sum(usage_splits.allocated_effective_cost) as covered_effective_cost
    from usage_splits
    where usage_splits.commitment_discount_id is not null
    group by
        usage_splits.billing_month,
        usage_splits.commitment_discount_id,
        usage_splits.target_resource_id,
        usage_splits.deployment_name,
        {%- for key in keys %}
        usage_splits.{{ key }},
        {%- endfor %}
        usage_splits.unallocated_reason
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
        purchase_rows.allocation_row_id,
        purchase_rows.pool_id,
        purchase_rows.x_BillingMonth as billing_month,
        purchase_rows.commitment_discount_id,
        purchase_rows.allocation_pool_kind,
        case when covered_shares.allocation_share is null then 'unallocated' else 'commitment_usage' end
            as allocation_method,
        cast(null as integer) as allocation_rule_order,
        cast(null as string) as fallback_reasons,
        coalesce(covered_shares.target_resource_id, purchase_rows.resource_id) as target_resource_id,
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
        covered_shares.covered_effective_cost as basis_tokens,
        coalesce(covered_shares.allocation_share, cast(1 as double)) as allocation_share,
        cast(0 as double) as allocated_tokens,
        purchase_rows.billed_cost * coalesce(covered_shares.allocation_share, 1) as allocated_billed_cost,
        purchase_rows.effective_cost * coalesce(covered_shares.allocation_share, 1) as allocated_effective_cost
    from purchase_rows
    left join covered_shares
        on
            purchase_rows.x_BillingMonth = covered_shares.billing_month
            and purchase_rows.commitment_discount_id = covered_shares.commitment_discount_id
    left join resource_keys
        on
            purchase_rows.resource_id = resource_keys.resource_id
            and purchase_rows.charge_date = resource_keys.charge_date
),

splits as (
    select * from usage_splits
    union all
    select * from purchase_splits
),

final as (
    select
        {{ aoai_finops.surrogate_key([
            'allocation_row_id', 'target_resource_id', 'deployment_name', 'cost_center', 'application', 'team',
            'environment', 'unallocated_reason',
        ]) }} as allocation_split_id,
        allocation_row_id,
        pool_id,
        allocation_pool_kind,
        allocation_method,
        allocation_rule_order,
        fallback_reasons,
        target_resource_id,
        deployment_name,
        {%- for key in keys %}
        coalesce({{ key }}, {{ unallocated }}) as {{ key }},
        {%- endfor %}
        unallocated_reason,
        unallocated_reason is null as is_allocated,
        basis_unit,
        basis_tokens,
        allocation_share,
        allocated_tokens,
        allocated_billed_cost,
        allocated_effective_cost
    from splits
)

select * from final
