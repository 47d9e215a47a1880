-- The cost rows allocation splits: every Azure OpenAI / Foundry meter row of focus_costs, plus credits and
-- adjustments charged to an AI account without a meter, with its row id (x_CostRowId), the key of the pool whose
-- shares split it and only the columns allocation decides on: narrow, because the allocation chain reads it
-- several times and focus_costs_allocated joins the wide row back by id.
-- Incremental by billing month on int_allocation_cost_row_months: a month is rebuilt when its cost rows changed
-- (ingestion time), the seeds changed (they classify the meters), or an AI account's credits in it joined or left
-- (a newer month gave the account its first AI cost).
{%- set month_state = aoai_finops.allocation_cost_row_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}

{#- A pool never crosses billing months, so that the allocation chain can rebuild a month alone. -#}
{%- set pool_key = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
    'allocation_pool_kind', 'model_name', 'deployment_type', 'is_batch', 'token_direction',
] %}

with focus_costs as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('focus_costs') }}
),

ai_rows as (
    {{ aoai_finops.allocated_cost_rows(
        'focus_costs', aoai_finops.billing_months_in('charges.x_BillingMonth', plan)
    ) | indent(4) }}
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
        coalesce(labelled.EffectiveCost, 0) as effective_cost,
        cost_row_months.ingested_at as billing_month_ingested_at,
        {{ aoai_finops.sql_string_literal(aoai_finops.seeds_checksum()) }} as seeds_checksum,
        cost_row_months.fingerprint as ai_account_fingerprint
    from labelled
    inner join {{ ref('int_allocation_cost_row_months') }} as cost_row_months
        on labelled.x_BillingMonth = cost_row_months.billing_month
),

pooled as (
    select
        *,
        {{ aoai_finops.surrogate_key(pool_key) }} as pool_id
    from final
)

select * from pooled
