-- Every cost row, normalised the way FinOps hubs do it, whatever export flavour it came from, and labelled with
-- what its meter says about AI usage (`x_Ai*`). One row per row of int_cost_rows_unioned. The rules, in the
-- order of docs/focus-mapping.md ("Normalisation"):
--   * ids: ResourceId lower-cased (Azure varies its casing between rows of one resource); empty GUIDs to null.
--   * Tags: a JSON object (EA writes the pairs without the outer braces).
--   * values of older FOCUS versions in 1.2 terms (1.0-preview PricingCategory, ChargeSubcategory).
--   * periods end exclusive: a ChargePeriodEnd of 23:59:59 becomes the next midnight; a BillingPeriodEnd that is
--     not the first instant of a month becomes the start of the next month.
--   * quantities and units from the unit of measure and its block size: PricingQuantity stays in pricing blocks
--     and PricingUnit says so (`1000 Tokens`, `1000000 Tokens`, `10000 Units`); ConsumedQuantity is in single
--     units (tokens for token meters), whatever the export version wrote; null where FOCUS wants it null.
--   * services, resource types and regions filled from mapping seeds where Azure leaves them empty.
--   * ListCost / ContractedCost: unit price x quantity where Azure gives 0; AI list prices from the price catalog
--     where Azure gives none. PricingCurrency* columns, commitment quantities, SkuPriceDetails for AI tokens.
{%- set is_usage = "described.ChargeCategory = 'Usage'" %}
{#- AI meters Azure gives no list price for: priced from the catalog. -#}
{%- set needs_list_price = "meters.charge_kind in ('tokens', 'ptu_hours') and cost_rows.ChargeCategory = 'Usage' "
    ~ "and coalesce(cost_rows.ListUnitPrice, 0) = 0" %}
{#- Billing currency units per pricing currency unit; 1 when they are the same currency. -#}
{%- set rate = "case when coalesce(derived.PricingCurrency, derived.BillingCurrency) = derived.BillingCurrency "
    ~ "then 1.0 else nullif(derived.x_BillingExchangeRate, 0) end" %}
{%- set sku_price_pairs = [
    ('ModelDeveloper', 'meters.model_developer'),
    ('ModelFamily', 'meters.model_family'),
    ('ModelId', 'meters.model_id'),
    ('ModelVersion', 'meters.model_version'),
    ('TokenCacheAction', 'derived.token_cache_action'),
    ('TokenDirection', 'derived.token_direction'),
] %}

with cost_rows as (
    select
        *,
        nullif(lower(replace(coalesce(RegionId, RegionName), ' ', '')), 'unassigned') as region_key
    from {{ ref('int_cost_rows_unioned') }}
),

meters as (
    select * from {{ ref('int_ai_meters_classified') }}
),

pricing_units as (
    select * from {{ ref('ai_pricing_units') }}
),

services as (
    select * from {{ ref('focus_services') }}
),

-- Every service name of the mapping seed has one category and subcategory (a seed test checks it).
service_names as (
    select
        service_name,
        max(service_category) as service_category,
        max(service_subcategory) as service_subcategory,
        max(service_model) as service_model
    from services
    group by service_name
),

labelled as (
    select
        cost_rows.*,
        meters.meter_key,
        meters.charge_kind = 'tokens' as is_token_meter,
        coalesce(cost_rows.x_PricingBlockSize, meters.unit_block_size, pricing_units.pricing_block_size, 1)
            as block_size,
        case
            when meters.charge_kind = 'tokens' then 'Tokens'
            else coalesce(pricing_units.distinct_unit, cost_rows.PricingUnit, cost_rows.x_PricingUnitDescription)
        end as base_unit,
        coalesce(
            cost_rows.ChargeClass, case when cost_rows.x_ChargeSubcategory = 'Refund' then 'Correction' end
        ) as charge_class,
        coalesce(
            cost_rows.CommitmentDiscountStatus,
            case cost_rows.x_ChargeSubcategory
                when 'Used Commitment' then 'Used'
                when 'Unused Commitment' then 'Unused'
            end
        ) as commitment_discount_status,
        -- FOCUS 1.0-preview spelled two pricing categories differently
        case cost_rows.PricingCategory
            when 'On-Demand' then 'Standard'
            when 'Commitment-Based' then 'Committed'
            else cost_rows.PricingCategory
        end as pricing_category,
        coalesce(
            cost_rows.ServiceName,
            by_type_and_meter.service_name,
            by_type.service_name,
            by_meter.service_name,
            cost_rows.x_SkuMeterCategory,
            'Other'
        ) as service_name,
        coalesce(by_type_and_meter.resource_type_name, by_type.resource_type_name) as resource_type_name,
        cost_rows.region_key as region_id,
        regions.region_name as mapped_region_name,
        case
            when meters.charge_kind = 'tokens' and meters.token_direction in ('input', 'output')
                then {{ dbt.concat([
                    "upper(substr(meters.token_direction, 1, 1))", "substr(meters.token_direction, 2)"
                ]) }}
        end as token_direction,
        case
            when meters.charge_kind = 'tokens' and meters.token_direction = 'input'
                then {{ dbt.concat(["upper(substr(meters.cache_action, 1, 1))", "substr(meters.cache_action, 2)"]) }}
        end as token_cache_action,
        {{ needs_list_price }} as needs_list_price
    from cost_rows
    left join meters
        on {{ meter_identity_join('cost_rows', 'meters') }}
    left join pricing_units
        on lower(trim(cost_rows.x_PricingUnitDescription)) = lower(trim(pricing_units.unit_of_measure))
    left join services as by_type_and_meter
        on
            lower(cost_rows.x_ResourceType) = by_type_and_meter.resource_type
            and cost_rows.x_SkuMeterCategory = by_type_and_meter.meter_category
    left join services as by_type
        on
            lower(cost_rows.x_ResourceType) = by_type.resource_type
            and coalesce(by_type.meter_category, '') = ''
    left join services as by_meter
        on
            coalesce(by_meter.resource_type, '') = ''
            and cost_rows.x_SkuMeterCategory = by_meter.meter_category
    left join {{ ref('focus_regions') }} as regions
        on cost_rows.region_key = regions.region_id
),

-- List prices of AI meters Azure gives no list price for: one lookup per meter and day, not per row. Read from
-- the table, not from `labelled`: a CTE read twice is materialised whole (every row and column), and a view
-- cannot keep it inline (DuckDB drops `not materialized` when it stores a view).
price_requests as (
    select distinct
        meters.meter_key,
        cast(cost_rows.ChargePeriodStart as date) as charge_date,
        meters.charge_kind,
        meters.model_id,
        meters.model_version,
        meters.deployment_type,
        meters.token_type,
        meters.token_modality,
        meters.long_context_tier,
        meters.is_batch,
        meters.is_priority
    from {{ ref('int_cost_rows_unioned') }} as cost_rows
    inner join meters
        on {{ meter_identity_join('cost_rows', 'meters') }}
    where {{ needs_list_price }}
),

catalog_prices as (
    {{ resolve_ai_list_price('price_requests', 'charge_date') }}
),

described as (
    select
        labelled.*,
        service_names.service_category as mapped_service_category,
        service_names.service_subcategory as mapped_service_subcategory,
        service_names.service_model as mapped_service_model,
        -- USD per single unit x units per pricing block x the billing currency's units per USD (none known: no
        -- catalog price, the export's unit prices stand)
        catalog_prices.list_usd_per_unit * labelled.block_size * {{ aoai_finops.usd_to_billing_rate('labelled') }}
            as catalog_list_unit_price
    from labelled
    left join service_names
        on labelled.service_name = service_names.service_name
    left join catalog_prices
        on
            labelled.needs_list_price
            and labelled.meter_key = catalog_prices.meter_key
            and cast(labelled.ChargePeriodStart as date) = catalog_prices.charge_date
),

priced as (
    select
        described.*,
        coalesce(described.catalog_list_unit_price, described.ListUnitPrice, described.ContractedUnitPrice)
            as list_unit_price,
        case
            when described.catalog_list_unit_price is not null then 'PriceCatalog'
            when coalesce(described.ListCost, 0) <> 0 then 'Export'
            when coalesce(described.ListUnitPrice, described.ContractedUnitPrice) * described.PricingQuantity <> 0
                then case when described.ListUnitPrice is null then 'ContractedUnitPrice' else 'ListUnitPrice' end
            when described.ListCost is not null then 'Export'
            else 'BilledCost'
        end as list_cost_source,
        case
            when coalesce(described.ContractedCost, 0) <> 0 then 'Export'
            when described.ContractedUnitPrice * described.PricingQuantity <> 0 then 'ContractedUnitPrice'
            when described.ContractedCost is not null then 'Export'
            else 'BilledCost'
        end as contracted_cost_source,
        case
            when {{ is_usage }} and coalesce(described.commitment_discount_status, '') <> 'Unused'
                then coalesce(described.PricingQuantity * described.block_size, described.ConsumedQuantity)
        end as consumed_quantity,
        {{ null_if_empty_guid('described.CommitmentDiscountId') }} as commitment_discount_id,
        -- an id ending in the empty GUID (`/subscriptions/00000000-...`) names no subscription
        described.SubAccountId like '%00000000-0000-0000-0000-000000000000' as is_empty_sub_account,
        case
            when described.BillingPeriodEnd = {{ dbt.date_trunc('month', 'described.BillingPeriodEnd') }}
                then described.BillingPeriodEnd
            else {{ dbt.dateadd('month', 1, dbt.date_trunc('month', 'described.BillingPeriodStart')) }}
        end as billing_period_end,
        case
            when
                extract(hour from described.ChargePeriodEnd) = 23
                and extract(minute from described.ChargePeriodEnd) = 59
                and extract(second from described.ChargePeriodEnd) >= 59
                then cast({{ dbt.dateadd('day', 1, 'cast(described.ChargePeriodEnd as date)') }} as timestamp)
            else described.ChargePeriodEnd
        end as charge_period_end
    from described
),

derived as (
    select
        priced.*,
        case
            when priced.list_cost_source = 'Export' then priced.ListCost
            when priced.list_cost_source = 'BilledCost' then priced.BilledCost
            else priced.list_unit_price * priced.PricingQuantity
        end as list_cost,
        case
            when priced.contracted_cost_source = 'Export' then priced.ContractedCost
            when priced.contracted_cost_source = 'BilledCost' then priced.BilledCost
            else priced.ContractedUnitPrice * priced.PricingQuantity
        end as contracted_cost,
        case
            when priced.PricingQuantity is null then null
            when priced.block_size > 1
                then {{ dbt.concat([
                    "cast(cast(priced.block_size as bigint) as " ~ dbt.type_string() ~ ")", "' '", "priced.base_unit"
                ]) }}
            else priced.base_unit
        end as pricing_unit,
        case when priced.consumed_quantity is not null then priced.base_unit end as consumed_unit,
        case
            when trim(priced.Tags) = '' then null
            when substr(trim(priced.Tags), 1, 1) = '{' then trim(priced.Tags)
            else {{ dbt.concat(["'{'", "trim(priced.Tags)", "'}'"]) }}
        end as tags_object,
        coalesce(priced.ServiceCategory, priced.mapped_service_category, 'Other') as service_category,
        -- Commitment quantities where the export has none (before FocusCost 1.2): reservation hours used, or bought
        -- (a recurring purchase buys its billing period, a one-time purchase its term of x_SkuTerm months of 730
        -- hours); savings plans count in money.
        coalesce(
            priced.CommitmentDiscountQuantity,
            case
                when priced.commitment_discount_id is null or priced.ChargeCategory not in ('Usage', 'Purchase')
                    then null
                when priced.CommitmentDiscountCategory = 'Spend'
                    then case when priced.ChargeCategory = 'Usage' then priced.EffectiveCost else priced.BilledCost end
                when priced.ChargeCategory = 'Purchase' and priced.ChargeFrequency = 'Recurring'
                    then
                        priced.PricingQuantity * 24
                        * {{ dbt.datediff('priced.BillingPeriodStart', 'priced.billing_period_end', 'day') }}
                when priced.ChargeCategory = 'Purchase'
                    then priced.PricingQuantity * {{ aoai_finops.try_cast('priced.x_SkuTerm', 'double') }} * 730
                else priced.PricingQuantity * priced.block_size
            end
        ) as commitment_discount_quantity,
        coalesce(
            priced.CommitmentDiscountUnit,
            case
                when priced.commitment_discount_id is not null and priced.ChargeCategory in ('Usage', 'Purchase')
                    then
                        case
                            when priced.CommitmentDiscountCategory = 'Spend' then priced.BillingCurrency
                            else 'Hours'
                        end
            end
        ) as commitment_discount_unit
    from priced
),

normalized as (
    {%- set computed = {
        'ResourceId': "lower(nullif(derived.ResourceId, ''))",
        'ResourceType': "case when nullif(derived.ResourceId, '') is not null then "
            ~ "coalesce(derived.ResourceType, derived.resource_type_name, derived.x_ResourceType) end",
        'SubAccountId': "case when not derived.is_empty_sub_account then derived.SubAccountId end",
        'SubAccountName': "case when not derived.is_empty_sub_account then derived.SubAccountName end",
        'SubAccountType': "case when not derived.is_empty_sub_account then derived.SubAccountType end",
        'Tags': "derived.tags_object",
        'ChargeClass': "derived.charge_class",
        'CommitmentDiscountStatus': "derived.commitment_discount_status",
        'CommitmentDiscountId': "derived.commitment_discount_id",
        'CommitmentDiscountQuantity': "derived.commitment_discount_quantity",
        'CommitmentDiscountUnit': "derived.commitment_discount_unit",
        'PricingCategory': "derived.pricing_category",
        'ChargePeriodEnd': "derived.charge_period_end",
        'BillingPeriodEnd': "derived.billing_period_end",
        'x_PricingBlockSize': "derived.block_size",
        'PricingUnit': "derived.pricing_unit",
        'ConsumedQuantity': "derived.consumed_quantity",
        'ConsumedUnit': "derived.consumed_unit",
        'RegionId': "derived.region_id",
        'RegionName': "case when derived.region_id is not null then "
            ~ "coalesce(derived.RegionName, derived.mapped_region_name, derived.region_id) end",
        'ServiceName': "derived.service_name",
        'ServiceCategory': "derived.service_category",
        'ServiceSubcategory': "coalesce(derived.ServiceSubcategory, derived.mapped_service_subcategory, "
            ~ dbt.concat(["'Other ('", "derived.service_category", "')'"]) ~ ")",
        'x_ServiceModel': "coalesce(derived.x_ServiceModel, derived.mapped_service_model)",
        'ListUnitPrice': "derived.list_unit_price",
        'ListCost': "derived.list_cost",
        'ContractedCost': "derived.contracted_cost",
        'PricingCurrency': "coalesce(derived.PricingCurrency, derived.BillingCurrency)",
        'SkuPriceDetails': "case when derived.is_token_meter and meters.model_id is not null "
            ~ "and derived.SkuPriceId is not null then " ~ sku_price_details(sku_price_pairs)
            ~ " else nullif(derived.SkuPriceDetails, '') end",
        'x_SkuMeterId': null_if_empty_guid('derived.x_SkuMeterId'),
        'x_SkuOrderId': null_if_empty_guid('derived.x_SkuOrderId'),
        'x_BillingProfileId': null_if_empty_guid('derived.x_BillingProfileId'),
        'x_CustomerId': null_if_empty_guid('derived.x_CustomerId'),
        'x_ResellerId': null_if_empty_guid('derived.x_ResellerId'),
        'x_PublisherId': null_if_empty_guid('derived.x_PublisherId'),
        'x_InvoiceIssuerId': null_if_empty_guid('derived.x_InvoiceIssuerId'),
        'x_ListCostInUsd': "case when derived.BillingCurrency = 'USD' then derived.list_cost "
            ~ "else derived.x_ListCostInUsd end",
        'x_ContractedCostInUsd': "case when derived.BillingCurrency = 'USD' then derived.contracted_cost "
            ~ "else derived.x_ContractedCostInUsd end",
        'PricingCurrencyListUnitPrice': "derived.list_unit_price / (" ~ rate ~ ")",
        'PricingCurrencyContractedUnitPrice': "derived.ContractedUnitPrice / (" ~ rate ~ ")",
        'PricingCurrencyEffectiveCost': "derived.EffectiveCost / (" ~ rate ~ ")",
        'ServiceProviderName': "coalesce(derived.PublisherName, derived.ProviderName)",
        'HostProviderName': "derived.ProviderName",
        'x_ListCostSource': "derived.list_cost_source",
        'x_ContractedCostSource': "derived.contracted_cost_source",
        'x_AiIsAiMeter': "coalesce(meters.is_ai_meter, false)",
        'x_AiClassificationSource': "meters.classification_source",
        'x_AiModelFamily': "meters.model_family",
        'x_AiModelId': "meters.model_id",
        'x_AiModelVersion': "meters.model_version",
        'x_AiModelDeveloper': "meters.model_developer",
        'x_AiModality': "meters.modality",
        'x_AiChargeKind': "meters.charge_kind",
        'x_AiTokenDirection': "meters.token_direction",
        'x_AiTokenCacheAction': "meters.cache_action",
        'x_AiTokenType': "meters.token_type",
        'x_AiDeploymentType': "meters.deployment_type",
        'x_AiIsBatch': "meters.is_batch",
        'x_AiIsPriority': "meters.is_priority",
        'x_AiLongContextTier': "meters.long_context_tier",
        'x_SeedsChecksum': aoai_finops.sql_string_literal(aoai_finops.seeds_checksum()),
    } %}
    {%- set columns = normalized_cost_columns() %}
    select
        {%- for column in columns[:-1] %}
        {{ computed.get(column, 'derived.' ~ column) }} as {{ column }},
        {%- endfor %}
        {{ computed.get(columns[-1], 'derived.' ~ columns[-1]) }} as {{ columns[-1] }}
    from derived
    left join meters
        on derived.meter_key = meters.meter_key
)

select * from normalized
