-- Nothing lost, nothing counted twice: every AI row of focus_costs (allocated_cost_rows()) is an origin charge of
-- focus_costs_allocated exactly once (one rule, one pool), and no origin charge is invented. Fails with the rows
-- that break it.
with source_rows as (
    select cast(count(*) as bigint) as row_count
    from (
        {{ aoai_finops.allocated_cost_rows(
            ref('focus_costs'), aoai_finops.tested_billing_months_in('charges.x_BillingMonth')
        ) | indent(8) }}
    ) as ai_cost_rows
),

origins as (
    select
        x_AllocationOriginChargeId,
        count(distinct AllocatedMethodId || '-' || coalesce(cast(x_AllocationRuleOrder as string), '-'))
            as rule_count
    from {{ aoai_finops.tested_rows(ref('focus_costs_allocated')) }}
    group by x_AllocationOriginChargeId
),

origin_count as (
    select cast(count(*) as bigint) as row_count from origins
)

select
    'origin charges differ from the AI rows of focus_costs' as problem,
    cast(null as string) as origin_charge_id,
    origin_count.row_count - source_rows.row_count as difference
from source_rows
cross join origin_count
where origin_count.row_count <> source_rows.row_count
union all
select
    'an origin charge split by more than one rule' as problem,
    x_AllocationOriginChargeId as origin_charge_id,
    rule_count as difference
from origins
where rule_count > 1
