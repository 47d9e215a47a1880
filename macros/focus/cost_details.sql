{#-
    The legacy cost details datasets (ActualCost, AmortizedCost; EA and MCA columns) on their way into FOCUS:
    staging shared by both tables, the columns that describe a charge, and the mapping to FOCUS names.
    docs/focus-mapping.md has the mapping as a table.
-#}

{#- Staged columns that describe a charge (everything but its cost, its price and the lake lineage), in the
    names staging gives them: EA and MCA spellings merged. -#}
{% macro cost_details_charge_columns() %}
    {{ return([
        'BillingAccountId', 'BillingAccountName', 'BillingProfileId', 'BillingProfileName',
        'BillingPeriodStartDate', 'BillingPeriodEndDate', 'InvoiceId', 'PreviousInvoiceId',
        'InvoiceSectionId', 'InvoiceSectionName', 'ResellerName', 'ResellerMpnId', 'CostCenter',
        'AccountOwnerId', 'AccountName', 'SubscriptionId', 'SubscriptionName', 'ChargeDate',
        'ServicePeriodStartDate', 'ServicePeriodEndDate', 'ProductName', 'ProductId', 'PartNumber',
        'MeterId', 'ServiceFamily', 'MeterCategory', 'MeterSubCategory', 'MeterRegion', 'MeterName',
        'Quantity', 'UnitPrice', 'PayGPrice', 'BillingCurrency', 'PricingCurrency',
        'ExchangeRatePricingToBilling', 'ExchangeRateDate', 'ResourceLocation', 'Location',
        'AvailabilityZone', 'ConsumedService', 'ResourceId', 'ResourceName', 'ResourceGroupName',
        'ServiceInfo1', 'ServiceInfo2', 'AdditionalInfo', 'Tags', 'UnitOfMeasure', 'ReservationId',
        'ReservationName', 'ProductOrderId', 'ProductOrderName', 'OfferId', 'IsAzureCreditEligible', 'Term',
        'PublisherName', 'PublisherId', 'PublisherType', 'PlanName', 'ChargeType', 'Frequency', 'PricingModel',
        'CostAllocationRuleName', 'BenefitId', 'BenefitName', 'Provider'
    ]) }}
{% endmacro %}

{#- Staging of a cost details lake table: rename only (EA and MCA spellings of one field merged into one
    column; `Date` is a keyword, so it becomes ChargeDate). The loader has typed every column. -#}
{% macro cost_details_staging(table_name) %}
with source as (
    select * from {{ source('cost_exports', table_name) }}
),

renamed as (
    select
        BillingAccountId,
        BillingAccountName,
        BillingProfileId,
        BillingProfileName,
        BillingPeriodStartDate,
        BillingPeriodEndDate,
        InvoiceId,
        PreviousInvoiceId,
        InvoiceSectionId,
        coalesce(InvoiceSectionName, InvoiceSection) as InvoiceSectionName,
        ResellerName,
        ResellerMpnId,
        CostCenter,
        AccountOwnerId,
        AccountName,
        SubscriptionId,
        SubscriptionName,
        Date as ChargeDate,
        ServicePeriodStartDate,
        ServicePeriodEndDate,
        coalesce(ProductName, Product) as ProductName,
        ProductId,
        PartNumber,
        MeterId,
        ServiceFamily,
        MeterCategory,
        MeterSubCategory,
        MeterRegion,
        MeterName,
        Quantity,
        EffectivePrice,
        coalesce(CostInBillingCurrency, Cost) as CostInBillingCurrency,
        CostInPricingCurrency,
        CostInUsd,
        UnitPrice,
        PayGPrice,
        PaygCostInBillingCurrency,
        PaygCostInUsd,
        BillingCurrency,
        PricingCurrency,
        ExchangeRatePricingToBilling,
        ExchangeRateDate,
        ResourceLocation,
        Location,
        AvailabilityZone,
        ConsumedService,
        ResourceId,
        ResourceName,
        coalesce(ResourceGroupName, ResourceGroup) as ResourceGroupName,
        ServiceInfo1,
        ServiceInfo2,
        AdditionalInfo,
        Tags,
        UnitOfMeasure,
        ReservationId,
        ReservationName,
        ProductOrderId,
        ProductOrderName,
        OfferId,
        IsAzureCreditEligible,
        Term,
        PublisherName,
        PublisherId,
        PublisherType,
        PlanName,
        ChargeType,
        Frequency,
        PricingModel,
        CostAllocationRuleName,
        BenefitId,
        BenefitName,
        Provider,
        {{ lineage_columns().keys() | join(',\n        ') }}
    from source
)

select * from renamed
{% endmacro %}

{#- The empty GUID Azure writes for "no id" in GUID columns: null instead. -#}
{% macro null_if_empty_guid(expression) -%}
    nullif(nullif({{ expression }}, ''), '00000000-0000-0000-0000-000000000000')
{%- endmacro %}

{#- cost_details_as_focus(relation): a complete SELECT of the paired cost details rows of `relation` (columns of
    int_cost_details_paired) under the FOCUS and Microsoft `x_` names of a FocusCost export, cast to the types
    FocusCost rows have, plus the lineage columns. What normalisation does for every flavour alike (units,
    services, regions, prices, tags) is left to int_cost_rows_normalized. Use it as a CTE body. -#}
{% macro cost_details_as_focus(relation) %}
{%- set usd = "BillingCurrency = 'USD'" %}
{%- set arm_namespace = aoai_finops.regex_extract('lower(resource_ids.ResourceId)', 'patterns.pattern', 1) %}
{%- set arm_type = aoai_finops.regex_extract('lower(resource_ids.ResourceId)', 'patterns.pattern', 2) %}
{%- set arm_nested_type = aoai_finops.regex_extract('lower(resource_ids.ResourceId)', 'patterns.pattern', 4) %}
{%- set columns = {
    'AvailabilityZone': "AvailabilityZone",
    'BilledCost': "BilledCost",
    'BillingAccountId': "'/providers/Microsoft.Billing/billingAccounts/' || BillingAccountId"
        ~ " || case when is_mca then '/billingProfiles/' || BillingProfileId else '' end",
    'BillingAccountName': "case when is_mca then coalesce(BillingProfileName, BillingAccountName) else BillingAccountName end",
    'BillingAccountType': "case when is_mca then 'Billing Profile' else 'Billing Account' end",
    'BillingCurrency': "BillingCurrency",
    'BillingPeriodEnd': dbt.dateadd('day', 1, 'BillingPeriodEndDate'),
    'BillingPeriodStart': "BillingPeriodStartDate",
    'CapacityReservationId': "null",
    'CapacityReservationStatus': "null",
    'ChargeCategory': "map_charge_category",
    'ChargeClass': "map_charge_class",
    'ChargeDescription': "ProductName",
    'ChargeFrequency': "case lower(Frequency) when 'usagebased' then 'Usage-Based' when 'onetime' then 'One-Time'"
        ~ " when 'recurring' then 'Recurring' when '' then null else Frequency end",
    'ChargePeriodEnd': dbt.dateadd('day', 1, 'ChargeDate'),
    'ChargePeriodStart': "ChargeDate",
    'CommitmentDiscountCategory': "map_commitment_discount_category",
    'CommitmentDiscountId': "case when map_commitment_discount_type is not null then coalesce(BenefitId,"
        ~ " '/providers/Microsoft.Capacity/reservationOrders/' || ProductOrderId || '/reservations/' || ReservationId) end",
    'CommitmentDiscountName': "case when map_commitment_discount_type is not null then coalesce(BenefitName, ReservationName) end",
    'CommitmentDiscountQuantity': "null",
    'CommitmentDiscountStatus': "map_commitment_discount_status",
    'CommitmentDiscountType': "map_commitment_discount_type",
    'CommitmentDiscountUnit': "null",
    'ConsumedQuantity': "Quantity",
    'ConsumedUnit': "null",
    'ContractedCost': "UnitPrice * Quantity",
    'ContractedUnitPrice': "UnitPrice",
    'EffectiveCost': "EffectiveCost",
    'InvoiceId': "InvoiceId",
    'InvoiceIssuerName': "coalesce(ResellerName, 'Microsoft')",
    'ListCost': "coalesce(PaygCostInBillingCurrency, PayGPrice * Quantity)",
    'ListUnitPrice': "PayGPrice",
    'PricingCategory': "map_pricing_category",
    'PricingCurrency': "coalesce(PricingCurrency, BillingCurrency)",
    'PricingQuantity': "Quantity",
    'PricingUnit': "null",
    'ProviderName': "'Microsoft'",
    'PublisherName': "coalesce(PublisherName, 'Microsoft')",
    'RegionId': "ResourceLocation",
    'RegionName': "null",
    'ResourceId': "ResourceId",
    'ResourceName': "coalesce(ResourceName, " ~ dbt.split_part('ResourceId', "'/'", -1) ~ ")",
    'ResourceType': "null",
    'ServiceCategory': "null",
    'ServiceName': "null",
    'ServiceSubcategory': "null",
    'SkuId': "coalesce(ProductId, PartNumber, " ~ null_if_empty_guid('MeterId') ~ ")",
    'SkuMeter': "MeterName",
    'SkuPriceDetails': "null",
    'SkuPriceId': "coalesce(coalesce(ProductId, PartNumber) || '_' || " ~ null_if_empty_guid('MeterId')
        ~ ", ProductId, PartNumber, " ~ null_if_empty_guid('MeterId') ~ ")",
    'SubAccountId': "'/subscriptions/' || SubscriptionId",
    'SubAccountName': "SubscriptionName",
    'SubAccountType': "case when SubscriptionId is not null then 'Subscription' end",
    'Tags': "Tags",
    'x_ChargeSubcategory': "null",
    'x_AccountId': "null",
    'x_AccountName': "AccountName",
    'x_AccountOwnerId': "AccountOwnerId",
    'x_AmortizationClass': "map_amortization_class",
    'x_BilledCostInUsd': "coalesce(actual_cost_in_usd, case when " ~ usd ~ " then BilledCost end)",
    'x_BilledUnitPrice': "actual_effective_price",
    'x_BillingAccountId': "BillingAccountId",
    'x_BillingAccountName': "BillingAccountName",
    'x_BillingExchangeRate': "coalesce(ExchangeRatePricingToBilling,"
        ~ " case when PricingCurrency is null or PricingCurrency = BillingCurrency then 1 end)",
    'x_BillingExchangeRateDate': "ExchangeRateDate",
    'x_BillingProfileId': "BillingProfileId",
    'x_BillingProfileName': "BillingProfileName",
    'x_ChargeId': "null",
    'x_ContractedCostInUsd': "case when " ~ usd ~ " then UnitPrice * Quantity end",
    'x_CostAllocationRuleName': "CostAllocationRuleName",
    'x_CostCenter': "CostCenter",
    'x_CustomerId': "null",
    'x_CustomerName': "null",
    'x_EffectiveCostInUsd': "coalesce(amortized_cost_in_usd, case when " ~ usd ~ " then EffectiveCost end)",
    'x_EffectiveUnitPrice': "coalesce(amortized_effective_price, EffectiveCost / nullif(Quantity, 0))",
    'x_InvoiceIssuerId': "null",
    'x_InvoiceSectionId': "InvoiceSectionId",
    'x_InvoiceSectionName': "InvoiceSectionName",
    'x_ListCostInUsd': "coalesce(PaygCostInUsd, case when " ~ usd ~ " then coalesce(PaygCostInBillingCurrency, PayGPrice * Quantity) end)",
    'x_OnDemandCost': "null",
    'x_OnDemandCostInUsd': "null",
    'x_OnDemandUnitPrice': "null",
    'x_PartnerCreditApplied': "null",
    'x_PartnerCreditRate': "null",
    'x_PricingBlockSize': "null",
    'x_PricingSubcategory': "map_pricing_subcategory",
    'x_PricingUnitDescription': "UnitOfMeasure",
    'x_PublisherCategory': "case when lower(PublisherType) = 'marketplace' then 'Vendor' else 'Cloud Provider' end",
    'x_PublisherId': "PublisherId",
    'x_ResellerId': "ResellerMpnId",
    'x_ResellerName': "ResellerName",
    'x_ResourceGroupName': "ResourceGroupName",
    'x_ResourceType': "resource_types.arm_resource_type",
    'x_ServiceModel': "null",
    'x_ServicePeriodEnd': dbt.dateadd('day', 1, 'ServicePeriodEndDate'),
    'x_ServicePeriodStart': "ServicePeriodStartDate",
    'x_SkuDescription': "ProductName",
    'x_SkuDetails': "AdditionalInfo",
    'x_SkuIsCreditEligible': "IsAzureCreditEligible",
    'x_SkuMeterCategory': "MeterCategory",
    'x_SkuMeterId': "MeterId",
    'x_SkuMeterSubcategory': "MeterSubCategory",
    'x_SkuOfferId': "OfferId",
    'x_SkuOrderId': "ProductOrderId",
    'x_SkuOrderName': "ProductOrderName",
    'x_SkuPartNumber': "PartNumber",
    'x_SkuPlanName': "PlanName",
    'x_SkuRegion': "MeterRegion",
    'x_SkuServiceFamily': "ServiceFamily",
    'x_SkuTerm': "Term",
    'x_SkuTier': "null",
} %}
with

mapped as (
    select
        details.*,
        details.BillingProfileId is not null and details.BillingProfileId <> details.BillingAccountId as is_mca,
        {%- for field in ['charge_category', 'charge_class', 'pricing_category', 'commitment_discount_status',
                          'commitment_discount_type', 'commitment_discount_category', 'pricing_subcategory',
                          'amortization_class'] %}
        coalesce(by_model.{{ field }}, by_type.{{ field }}) as map_{{ field }},
        {%- endfor %}
        by_type.charge_type is not null or by_model.charge_type is not null as is_known_charge_type
    from {{ relation }} as details
    left join {{ ref('focus_legacy_charge_types') }} as by_model
        on
            lower(details.ChargeType) = by_model.charge_type
            and lower(details.PricingModel) = by_model.pricing_model
    left join {{ ref('focus_legacy_charge_types') }} as by_type
        on
            lower(details.ChargeType) = by_type.charge_type
            and coalesce(by_type.pricing_model, '') = ''
),

costed as (
    select
        mapped.*,
        -- A missing partner row: the cost it would have supplied is derived from the other dataset. Commitment
        -- purchases have no amortized row and unused commitment no actual row by definition (EffectiveCost /
        -- BilledCost 0); covered usage is billed through its purchase (BilledCost 0) and has no amortized
        -- cost in ActualCost (EffectiveCost 0, the purchase is not amortized without AmortizedCost).
        case
            when actual_run_id is not null then actual_cost
            when map_commitment_discount_status is not null then 0
            else amortized_cost
        end as BilledCost,
        case
            when amortized_run_id is not null then amortized_cost
            when map_charge_category = 'Purchase' and map_commitment_discount_type is not null then 0
            else actual_cost
        end as EffectiveCost,
        case
            when actual_run_id is not null and amortized_run_id is not null then 'Exported'
            when actual_run_id is not null and map_charge_category = 'Purchase' and map_commitment_discount_type is not null
                then 'Exported'
            when actual_run_id is not null then 'EffectiveCostDerived'
            when map_commitment_discount_status = 'Unused' then 'Exported'
            else 'BilledCostDerived'
        end as x_CostDerivation,
        case
            when actual_run_id is not null and amortized_run_id is not null then 'ActualCost+AmortizedCost'
            when actual_run_id is not null then 'ActualCost'
            else 'AmortizedCost'
        end as x_SourceDataset
    from mapped
),

-- The ARM resource type of each distinct ResourceId (few), not of each row: the pattern is a column, so the
-- engine compiles it for every row it is applied to.
resource_types as (
    select
        resource_ids.ResourceId as arm_resource_id,
        {{ arm_namespace }} || '/' || {{ arm_type }}
        || case when {{ arm_nested_type }} <> '' then '/' || {{ arm_nested_type }} else '' end as arm_resource_type
    from (select distinct ResourceId from {{ relation }}) as resource_ids
    cross join {{ ref('focus_text_patterns') }} as patterns
    where patterns.pattern_name = 'arm_resource_type'
)

select
    {%- for lake_column, column in lineage_columns().items() %}
    costed.{{ lake_column }} as {{ column }},
    {%- endfor %}
    costed.x_SourceDataset,
    costed.actual_run_id as x_BilledCostRunId,
    costed.amortized_run_id as x_EffectiveCostRunId,
    costed.x_CostDerivation,
    {%- for column in focus_cost_columns() + microsoft_x_columns() %}
    {%- if column not in columns %}{{ exceptions.raise_compiler_error('cost_details_as_focus: no mapping for ' ~ column) }}{% endif %}
    cast({{ columns[column] }} as {{ focus_cost_column_type(column) }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from costed
left join resource_types
    on costed.ResourceId = resource_types.arm_resource_id
{% endmacro %}
