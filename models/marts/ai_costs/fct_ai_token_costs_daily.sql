-- Azure OpenAI token costs per day, AI account, model and token type: what each model costs and what a
-- million tokens cost. Token meters the classifier cannot read stay here as model 'unclassified'.
{%- set dimensions = [
    'charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'model_name', 'model_version',
    'deployment_type', 'token_type', 'is_batch', 'is_priority', 'pricing_category', 'billing_currency',
] %}

with ai_cost_rows as (
    select * from {{ ref('focus_costs') }}
    where x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') = 'tokens'
),

labelled as (
    select
        cast(ChargePeriodStart as date) as charge_date,
        BillingAccountId as billing_account_id,
        BillingAccountName as billing_account_name,
        SubAccountId as sub_account_id,
        SubAccountName as sub_account_name,
        ResourceId as resource_id,
        ResourceName as resource_name,
        x_ResourceGroupName as resource_group_name,
        RegionId as region_id,
        coalesce(x_AiModelFamily, 'unclassified') as model_family,
        coalesce(x_AiModelId, 'unclassified') as model_name,
        coalesce(x_AiModelVersion, 'unspecified') as model_version,
        coalesce(x_AiDeploymentType, 'unclassified') as deployment_type,
        coalesce(x_AiTokenType, 'unclassified') as token_type,
        coalesce(x_AiIsBatch, false) as is_batch,
        coalesce(x_AiIsPriority, false) as is_priority,
        coalesce(PricingCategory, 'Standard') as pricing_category,
        BillingCurrency as billing_currency,
        x_AiClassificationSource <> 'unclassified' as is_classified,
        ConsumedQuantity as tokens,
        BilledCost as billed_cost,
        EffectiveCost as effective_cost,
        ListCost as list_cost,
        ContractedCost as contracted_cost
    from ai_cost_rows
),

daily as (
    select
        {{ dimensions | join(',\n        ') }},
        max(billing_account_name) as billing_account_name,
        max(sub_account_name) as sub_account_name,
        max(resource_name) as resource_name,
        max(resource_group_name) as resource_group_name,
        max(region_id) as region_id,
        max(model_family) as model_family,
        bool_and(is_classified) as is_classified,
        count(*) as cost_row_count,
        sum(tokens) as tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost
    from labelled
    group by
        {{ dimensions | join(',\n        ') }}
),

final as (
    select
        *,
        effective_cost / nullif(tokens, 0) * 1000000 as effective_cost_per_1m_tokens,
        list_cost / nullif(tokens, 0) * 1000000 as list_price_per_1m_tokens
    from daily
)

select * from final
