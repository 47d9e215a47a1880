-- Every AI token cost row of focus_costs (the project's conformed cost base) with the catalog list price of its
-- meter at the charge date and the list cost the catalog expects: the one place billed cost meets the price
-- catalog, so every mart compares bills with the same prices. Meters the classifier cannot read (charge kind
-- unknown) are token rows here too, unpriced: they are the unclassified bucket and stay in every total.
-- A table, incremental by billing month (docs/incremental.md): three marts read it.
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at', 'seeds_checksum')
) }}

with ai_token_rows as (
    select * from {{ ref('focus_costs') }}
    where
        x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') = 'tokens'
        and {{ aoai_finops.billing_month_filter(
            'billing_month', 'billing_month_ingested_at', 'seeds_checksum', filtered_column='x_BillingMonth'
        ) }}
),

meters as (
    select * from {{ ref('int_ai_meters_classified') }}
),

labelled as (
    select
        cast(cost_rows.ChargePeriodStart as date) as charge_date,
        cost_rows.BillingAccountId as billing_account_id,
        cost_rows.BillingAccountName as billing_account_name,
        cost_rows.SubAccountId as sub_account_id,
        cost_rows.SubAccountName as sub_account_name,
        cost_rows.ResourceId as resource_id,
        cost_rows.ResourceName as resource_name,
        cost_rows.x_ResourceGroupName as resource_group_name,
        cost_rows.RegionId as region_id,
        cost_rows.x_SkuMeterId as meter_id,
        cost_rows.SkuMeter as meter_name,
        cost_rows.x_AiClassificationSource as classification_source,
        cost_rows.x_AiChargeKind as charge_kind,
        cost_rows.x_AiModelFamily as model_family,
        cost_rows.x_AiModelId as model_id,
        cost_rows.x_AiModelVersion as model_version,
        cost_rows.x_AiDeploymentType as deployment_type,
        cost_rows.x_AiTokenType as token_type,
        meters.token_modality,
        cost_rows.x_AiLongContextTier as long_context_tier,
        cost_rows.x_AiIsBatch as is_batch,
        cost_rows.x_AiIsPriority as is_priority,
        cost_rows.PricingCategory as pricing_category,
        cost_rows.BillingCurrency as billing_currency,
        -- a meter whose charge kind is unknown keeps its cost, but its quantity is not known to be tokens
        case when cost_rows.x_AiChargeKind = 'tokens' then cost_rows.ConsumedQuantity end as tokens,
        cost_rows.BilledCost as billed_cost,
        cost_rows.EffectiveCost as effective_cost,
        cost_rows.ListCost as list_cost,
        cost_rows.ContractedCost as contracted_cost,
        cost_rows.x_BillingMonth as billing_month,
        cost_rows.x_BillingMonthIngestedAt as billing_month_ingested_at,
        cost_rows.x_SeedsChecksum as seeds_checksum,
        {{ aoai_finops.usd_to_billing_rate('cost_rows') }} as usd_to_billing_rate
    from ai_token_rows as cost_rows
    left join meters
        on {{ meter_identity_join('cost_rows', 'meters') }}
),

priced as (
    {{ resolve_ai_list_price('labelled', 'charge_date') }}
)

select
    charge_date,
    cast(billing_account_id as string) as billing_account_id,
    cast(billing_account_name as string) as billing_account_name,
    cast(sub_account_id as string) as sub_account_id,
    cast(sub_account_name as string) as sub_account_name,
    cast(resource_id as string) as resource_id,
    cast(resource_name as string) as resource_name,
    cast(resource_group_name as string) as resource_group_name,
    cast(region_id as string) as region_id,
    cast(meter_id as string) as meter_id,
    cast(meter_name as string) as meter_name,
    coalesce(classification_source <> 'unclassified', false) as is_classified,
    cast(charge_kind as string) as charge_kind,
    cast(model_family as string) as model_family,
    cast(model_id as string) as model_id,
    cast(model_version as string) as model_version,
    cast(deployment_type as string) as deployment_type,
    cast(token_type as string) as token_type,
    cast(token_modality as string) as token_modality,
    cast(long_context_tier as string) as long_context_tier,
    is_batch,
    is_priority,
    cast(pricing_category as string) as pricing_category,
    cast(billing_currency as string) as billing_currency,
    cast(tokens as double) as tokens,
    cast(billed_cost as double) as billed_cost,
    cast(effective_cost as double) as effective_cost,
    cast(list_cost as double) as list_cost,
    cast(contracted_cost as double) as contracted_cost,
    cast(usd_to_billing_rate as double) as usd_to_billing_rate,
    list_unit_price_usd is not null as has_catalog_price,
    cast(list_unit_price_usd * 1000000 / list_price_unit_size as double) as catalog_price_per_1m_tokens,
    cast(list_price_model_version as string) as catalog_price_model_version,
    cast(list_price_confidence as string) as catalog_price_confidence,
    cast(tokens * list_usd_per_unit * usd_to_billing_rate as double) as expected_list_cost,
    cast(billing_month as string) as billing_month,
    cast(billing_month_ingested_at as timestamp) as billing_month_ingested_at,
    cast(seeds_checksum as string) as seeds_checksum
from priced
