-- The rule that splits each pool: the first of its rule set that can (int_allocation_pool_candidates), the rules
-- skipped before it and why (fallback_reasons), or, when none can, `unallocated` with the last rule's reason
-- (`no_allocation_rule` when the pool has no rule at all).
-- Incremental by billing month, like the rest of the allocation chain (int_allocation_billing_months).
{%- set month_state = aoai_finops.allocation_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}

with pools as (
    select distinct
        pool_id,
        billing_month
    from {{ ref('int_allocation_cost_rows') }}
    where
        allocation_pool_kind <> 'commitment_purchase'
        and {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

rule_status as {{ aoai_finops.inline_cte() }} (
    select
        pool_id,
        rule_order,
        max(rule_method) as rule_method,
        max(skip_reason) as skip_reason
    from {{ ref('int_allocation_pool_candidates') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
    group by pool_id, rule_order
),

chosen as {{ aoai_finops.inline_cte() }} (
    select
        pool_id,
        min(rule_order) as rule_order
    from rule_status
    where skip_reason is null
    group by pool_id
),

skipped as (
    select
        rule_status.pool_id,
        {{ aoai_finops.string_agg_ordered("rule_status.rule_method || ':' || rule_status.skip_reason", '; ',
                                          order_by='rule_status.rule_order') }} as fallback_reasons,
        max(rule_status.rule_order) as last_rule_order
    from rule_status
    left join chosen on rule_status.pool_id = chosen.pool_id
    where chosen.rule_order is null or rule_status.rule_order < chosen.rule_order
    group by rule_status.pool_id
)

select
    pools.pool_id,
    pools.billing_month,
    coalesce(chosen_rule.rule_method, 'unallocated') as allocation_method,
    chosen.rule_order as allocation_rule_order,
    skipped.fallback_reasons,
    case
        when chosen.rule_order is not null then cast(null as string)
        when skipped.pool_id is null then 'no_allocation_rule'
        else last_rule.skip_reason
    end as unallocated_reason,
    {{ aoai_finops.allocation_month_state_columns('input_months') }}
from pools
inner join {{ ref('int_allocation_billing_months') }} as input_months
    on pools.billing_month = input_months.billing_month
left join chosen on pools.pool_id = chosen.pool_id
left join rule_status as chosen_rule
    on
        chosen.pool_id = chosen_rule.pool_id
        and chosen.rule_order = chosen_rule.rule_order
left join skipped on pools.pool_id = skipped.pool_id
left join rule_status as last_rule
    on
        skipped.pool_id = last_rule.pool_id
        and skipped.last_rule_order = last_rule.rule_order
