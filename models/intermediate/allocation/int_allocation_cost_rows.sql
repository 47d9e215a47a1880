-- The cost rows allocation splits: every Azure OpenAI / Foundry meter row of focus_costs, plus credits and
-- adjustments charged to an AI account without a meter, with its row id (x_CostRowId), the key of the pool whose
-- shares split it and only the columns allocation decides on: narrow, because the allocation chain reads it
-- several times and focus_costs_allocated joins the wide row back by id. A table, so it is read once from focus_costs.
{{ config(materialized='table') }}

{#- A pool never crosses billing months, so that the allocation chain can rebuild a month alone. -#}
{%- set pool_key = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
    'allocation_pool_kind', 'model_name', 'deployment_type', 'is_batch', 'token_direction',
] %}

with focus_costs as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('focus_costs') }}
),

ai_accounts as (
    select distinct ResourceId as resource_id
    from focus_costs
    where x_AiIsAiMeter and ResourceId is not null
),

ai_rows as (
    select focus_costs.*
    from focus_costs
    left join ai_accounts on focus_costs.ResourceId = ai_accounts.resource_id
    where
        focus_costs.x_AiIsAiMeter
        or (
            focus_costs.ChargeCategory in ('Credit', 'Adjustment')
            and ai_accounts.resource_id is not null
        )
),

labelled as (
    select
        *,
        case
            when ChargeCategory = 'Purchase' and CommitmentDiscountId is not null then 'commitment_purchase'
            when x_AiChargeKind = 'tokens' then 'tokens'
            when x_AiChargeKind = 'ptu_hours' then 'ptu'
            else 'account'
        end as allocation_pool_kind
    from ai_rows
),

final as (
    select
        labelled.x_CostRowId as allocation_row_id,
        labelled.x_BillingMonth as billing_month,
        labelled.allocation_pool_kind,
        cast(labelled.ChargePeriodStart as date) as charge_date,
        labelled.BillingAccountId as billing_account_id,
        labelled.BillingCurrency as billing_currency,
        labelled.SubAccountId as sub_account_id,
        labelled.SubAccountName as sub_account_name,
        labelled.ResourceId as resource_id,
        labelled.ResourceName as resource_name,
        labelled.x_ResourceGroupName as resource_group_name,
        lower(labelled.ResourceName) as account_name,
        labelled.CommitmentDiscountId as commitment_discount_id,
        coalesce(labelled.x_AiChargeKind, 'other') as charge_kind,
        case
            when labelled.allocation_pool_kind = 'tokens' then coalesce(labelled.x_AiModelId, 'unclassified')
            else coalesce(labelled.x_AiModelId, 'not_applicable')
        end as model_name,
        case
            when labelled.allocation_pool_kind = 'tokens' then coalesce(labelled.x_AiDeploymentType, 'unclassified')
            else coalesce(labelled.x_AiDeploymentType, 'not_applicable')
        end as deployment_type,
        coalesce(labelled.x_AiIsBatch, false) as is_batch,
        case
            when labelled.allocation_pool_kind = 'tokens' then coalesce(labelled.x_AiTokenType, 'unclassified')
            else 'not_applicable'
        end as token_type,
        case
            when labelled.allocation_pool_kind = 'tokens'
                then coalesce(labelled.x_AiTokenDirection, 'unclassified')
            else 'total'
        end as token_direction,
        case
            when labelled.allocation_pool_kind = 'tokens' then coalesce(labelled.ConsumedQuantity, 0)
            else cast(0 as double)
        end as tokens,
        coalesce(labelled.ConsumedQuantity, 0) as consumed_quantity,
        coalesce(labelled.BilledCost, 0) as billed_cost,
        coalesce(labelled.EffectiveCost, 0) as effective_cost
    from labelled
),

pooled as (
    select
        *,
        {{ aoai_finops.surrogate_key(pool_key) }} as pool_id
    from final
)

select * from pooled
