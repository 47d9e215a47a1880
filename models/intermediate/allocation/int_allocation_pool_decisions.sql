-- The rule that splits each pool: the first of its rule set that can (int_allocation_pool_candidates), the rules
-- skipped before it and why (fallback_reasons), or, when none can, `unallocated` with the last rule's reason
-- (`no_allocation_rule` when the pool has no rule at all).
-- A table: Spark would otherwise re-plan the whole chain for every model and test that reads it.
{{ config(materialized='table') }}

with pools as (
    select distinct pool_id
    from {{ ref('int_allocation_cost_rows') }}
    where allocation_pool_kind <> 'commitment_purchase'
),

rule_status as {{ aoai_finops.inline_cte() }} (
    select
        pool_id,
        rule_order,
        max(rule_method) as rule_method,
        max(skip_reason) as skip_reason
    from {{ ref('int_allocation_pool_candidates') }}
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
    coalesce(chosen_rule.rule_method, 'unallocated') as allocation_method,
    chosen.rule_order as allocation_rule_order,
    skipped.fallback_reasons,
    case
        when chosen.rule_order is not null then cast(null as string)
        when skipped.pool_id is null then 'no_allocation_rule'
        else last_rule.skip_reason
    end as unallocated_reason
from pools
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
