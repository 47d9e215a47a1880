-- Shares sum to 1: the allocated charges of every origin charge (focus_costs_allocated), and the rows of every
-- day, account, model and token type of fct_cost_allocation_daily. A dropped or doubled target fails here.
with origin_charges as (
    select
        'focus_costs_allocated' as model_name,
        x_AllocationOriginChargeId as allocation_unit,
        sum(x_AllocatedRatio) as share_total
    from {{ aoai_finops.tested_rows(ref('focus_costs_allocated')) }}
    group by x_AllocationOriginChargeId
),

daily_groups as (
    select
        'fct_cost_allocation_daily' as model_name,
        {{ aoai_finops.surrogate_key([
            'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
            'charge_kind', 'model_name', 'deployment_type', 'is_batch', 'token_type',
        ]) }} as allocation_unit,
        sum(allocation_share) as share_total
    from {{ aoai_finops.tested_rows(ref('fct_cost_allocation_daily')) }}
    group by
        charge_date, billing_account_id, billing_currency, sub_account_id, resource_id, charge_kind, model_name,
        deployment_type, is_batch, token_type
)

select * from origin_charges
where abs(share_total - 1) > 0.000000001
union all
select * from daily_groups
where abs(share_total - 1) > 0.000000001
