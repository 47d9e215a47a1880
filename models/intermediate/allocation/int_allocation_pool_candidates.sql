-- What each rule of a pool's rule set would do: one row per pool, rule and target with the target's share, or
-- one row with the reason the rule cannot split the pool (skip_reason). int_allocation_pool_decisions picks the
-- first rule that can.
--
-- A pool is one day of one account's cost rows of one kind (int_allocation_cost_rows.pool_id). Its rule set is
-- the most specific in allocation_rules: rules for the account and the pool's model, else for the account, else
-- the default rules (`*`).
--   telemetry  token shares of the deployments that serve the pool (int_allocation_token_shares_daily): token
--              meters by the tokens of their model and direction on deployments whose SKU bills on that meter
--              (or whose SKU is not declared); PTU hours by the tokens of the declared PTU deployments; other
--              charges by all tokens of the account. Skipped when there are none (no_telemetry) or one of those
--              deployments has a missing data point that day (telemetry_gap).
--   tags       the whole pool to the resource's keys; skipped when cost center or application is unknown.
--   even       equally over allocation_split_targets; fixed: by their percentages. Skipped without targets.
-- Incremental by billing month, like the rest of the allocation chain (int_allocation_billing_months).
{%- set month_state = aoai_finops.allocation_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set keys = aoai_finops.allocation_keys() %}
{%- set pool_columns = [
    'pool_id', 'billing_month', 'charge_date', 'resource_id', 'account_name', 'allocation_pool_kind', 'model_name',
    'deployment_type', 'is_batch', 'token_direction',
] %}
{#- Every pool column but the account name is part of pool_id (int_allocation_cost_rows). -#}
{%- set pool_key_columns = pool_columns | reject('equalto', 'account_name') | list %}

-- The pool's columns are part of its key (pool_id hashes them), so they are grouped by, not aggregated: a max()
-- of strings per pool would keep every string outside DuckDB's memory limit (macros/entity_attributes.sql).
with pools as (
    select
        {{ pool_key_columns | join(',\n        ') }},
        max(account_name) as account_name
    from {{ ref('int_allocation_cost_rows') }}
    where
        allocation_pool_kind <> 'commitment_purchase'
        and {{ aoai_finops.billing_months_in('billing_month', plan) }}
    group by
        {{ pool_key_columns | join(',\n        ') }}
),

rules as (
    select
        lower(trim(account)) as account_name,
        lower(nullif(trim(model_name), '')) as model_name,
        rule_order,
        lower(trim(method)) as rule_method
    from {{ ref('allocation_rules') }}
),

rule_matches as (
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
        ranked.pool_id,
        ranked.rule_order,
        ranked.rule_method,
        {% for column in pool_columns if column != 'pool_id' %}pools.{{ column }},
        {% endfor -%}
        {%- for key in keys %}
        resource_keys.{{ key }} as resource_{{ key }},
        {%- endfor %}
        resource_keys.missing_keys_reason,
        resource_keys.resource_id is not null as has_resource_keys
    from (
        select
            *,
            max(specificity) over (partition by pool_id) as top_specificity
        from rule_matches
    ) as ranked
    inner join pools on ranked.pool_id = pools.pool_id
    left join {{ ref('int_allocation_resource_keys') }} as resource_keys
        on
            pools.resource_id = resource_keys.resource_id
            and pools.charge_date = resource_keys.charge_date
    where ranked.specificity = ranked.top_specificity
),

token_shares as (
    select * from {{ ref('int_allocation_token_shares_daily') }}
),

telemetry_basis as (
    select
        pool_rules.pool_id,
        pool_rules.billing_month,
        pool_rules.rule_order,
        token_shares.deployment_name,
        {%- for key in keys %}
        token_shares.{{ key }},
        {%- endfor %}
        token_shares.unallocated_reason,
        token_shares.is_gap,
        token_shares.tokens
    from pool_rules
    inner join token_shares
        on
            pool_rules.charge_date = token_shares.charge_date
            and pool_rules.resource_id = token_shares.resource_id
    where
        pool_rules.rule_method = 'telemetry'
        and (
            (
                pool_rules.allocation_pool_kind = 'tokens'
                and pool_rules.model_name = token_shares.model_name
                and pool_rules.token_direction = token_shares.token_direction
                and (pool_rules.deployment_type = token_shares.deployment_type or token_shares.deployment_type is null)
                and (pool_rules.is_batch = token_shares.is_batch or token_shares.is_batch is null)
            )
            or (
                pool_rules.allocation_pool_kind = 'ptu'
                and coalesce(token_shares.is_provisioned, false)
                and (
                    pool_rules.deployment_type = token_shares.deployment_type
                    or pool_rules.deployment_type = 'not_applicable'
                )
            )
            or pool_rules.allocation_pool_kind = 'account'
        )
),

telemetry_status as (
    select
        pool_rules.pool_id,
        pool_rules.billing_month,
        pool_rules.rule_order,
        case
            when max(case when telemetry_basis.is_gap then 1 else 0 end) = 1 then 'telemetry_gap'
            when coalesce(sum(telemetry_basis.tokens), 0) <= 0 then 'no_telemetry'
        end as skip_reason
    from pool_rules
    left join telemetry_basis
        on
            pool_rules.pool_id = telemetry_basis.pool_id
            and pool_rules.rule_order = telemetry_basis.rule_order
    where pool_rules.rule_method = 'telemetry'
    group by pool_rules.pool_id, pool_rules.billing_month, pool_rules.rule_order
),

telemetry_targets as (
    select
        telemetry_basis.pool_id,
        telemetry_basis.billing_month,
        telemetry_basis.rule_order,
        telemetry_basis.deployment_name,
        {%- for key in keys %}
        telemetry_basis.{{ key }},
        {%- endfor %}
        telemetry_basis.unallocated_reason,
        sum(telemetry_basis.tokens) as basis_quantity
    from telemetry_basis
    inner join telemetry_status
        on
            telemetry_basis.pool_id = telemetry_status.pool_id
            and telemetry_basis.rule_order = telemetry_status.rule_order
    where telemetry_status.skip_reason is null and telemetry_basis.tokens > 0
    group by
        telemetry_basis.pool_id,
        telemetry_basis.billing_month,
        telemetry_basis.rule_order,
        telemetry_basis.deployment_name,
        {%- for key in keys %}
        telemetry_basis.{{ key }},
        {%- endfor %}
        telemetry_basis.unallocated_reason
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
            pool_rules.pool_id,
            pool_rules.billing_month,
            pool_rules.rule_order,
            pool_rules.rule_method,
            {%- for key in keys %}
            coalesce(split_targets.{{ key }}, pool_rules.resource_{{ key }}) as {{ key }},
            {%- endfor %}
            split_targets.percentage,
            case when split_targets.model_name is null then 0 else 1 end as specificity,
            max(case when split_targets.model_name is null then 0 else 1 end) over (
                partition by pool_rules.pool_id, pool_rules.rule_order
            ) as top_specificity
        from pool_rules
        inner join split_targets
            on
                pool_rules.account_name = split_targets.account_name
                and (pool_rules.model_name = split_targets.model_name or split_targets.model_name is null)
        where
            pool_rules.rule_method = 'even'
            or (pool_rules.rule_method = 'fixed' and split_targets.percentage > 0)
    ) as ranked
    where specificity = top_specificity
),

candidates as (
    select
        telemetry_targets.pool_id,
        telemetry_targets.billing_month,
        telemetry_targets.rule_order,
        'telemetry' as rule_method,
        telemetry_targets.deployment_name,
        {%- for key in keys %}
        telemetry_targets.{{ key }},
        {%- endfor %}
        telemetry_targets.unallocated_reason,
        'Tokens' as basis_unit,
        telemetry_targets.basis_quantity,
        telemetry_targets.basis_quantity / sum(telemetry_targets.basis_quantity) over (
            partition by telemetry_targets.pool_id, telemetry_targets.rule_order
        ) as allocation_share,
        cast(null as string) as skip_reason
    from telemetry_targets
    union all
    select
        pool_id,
        billing_month,
        rule_order,
        'telemetry' as rule_method,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        cast(null as string) as {{ key }},
        {%- endfor %}
        cast(null as string) as unallocated_reason,
        cast(null as string) as basis_unit,
        cast(null as double) as basis_quantity,
        cast(null as double) as allocation_share,
        skip_reason
    from telemetry_status
    where skip_reason is not null
    union all
    select
        pool_id,
        billing_month,
        rule_order,
        rule_method,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        resource_{{ key }} as {{ key }},
        {%- endfor %}
        cast(null as string) as unallocated_reason,
        cast(null as string) as basis_unit,
        cast(null as double) as basis_quantity,
        case when missing_keys_reason is null and has_resource_keys then cast(1 as double) end as allocation_share,
        case when not has_resource_keys then 'no_resource' else missing_keys_reason end as skip_reason
    from pool_rules
    where rule_method = 'tags'
    union all
    select
        pool_id,
        billing_month,
        rule_order,
        rule_method,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        case
            {%- for key in aoai_finops.required_allocation_keys() %}
            when {{ key }} is null then 'split_target_without_{{ key }}'
            {%- endfor %}
        end as unallocated_reason,
        case when rule_method = 'fixed' then 'Percent' else 'Targets' end as basis_unit,
        percentage as basis_quantity,
        case
            when rule_method = 'fixed'
                then percentage / sum(percentage) over (partition by pool_id, rule_order)
            else cast(1 as double) / count(*) over (partition by pool_id, rule_order)
        end as allocation_share,
        cast(null as string) as skip_reason
    from pool_split_targets
    union all
    select
        pool_rules.pool_id,
        pool_rules.billing_month,
        pool_rules.rule_order,
        pool_rules.rule_method,
        cast(null as string) as deployment_name,
        {%- for key in keys %}
        cast(null as string) as {{ key }},
        {%- endfor %}
        cast(null as string) as unallocated_reason,
        cast(null as string) as basis_unit,
        cast(null as double) as basis_quantity,
        cast(null as double) as allocation_share,
        case
            when pool_rules.rule_method = 'fixed' then 'no_split_percentages'
            when pool_rules.rule_method = 'even' then 'no_split_targets'
            else 'unknown_method'
        end as skip_reason
    from pool_rules
    left join pool_split_targets
        on
            pool_rules.pool_id = pool_split_targets.pool_id
            and pool_rules.rule_order = pool_split_targets.rule_order
    where pool_rules.rule_method not in ('telemetry', 'tags') and pool_split_targets.pool_id is null
)

select
    candidates.pool_id,
    candidates.billing_month,
    cast(candidates.rule_order as integer) as rule_order,
    candidates.rule_method,
    candidates.deployment_name,
    {%- for key in keys %}
    candidates.{{ key }},
    {%- endfor %}
    candidates.unallocated_reason,
    candidates.basis_unit,
    cast(candidates.basis_quantity as double) as basis_quantity,
    cast(candidates.allocation_share as double) as allocation_share,
    candidates.skip_reason,
    {{ aoai_finops.allocation_month_state_columns('input_months') }}
from candidates
inner join {{ ref('int_allocation_billing_months') }} as input_months
    on candidates.billing_month = input_months.billing_month
