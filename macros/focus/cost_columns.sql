{#-
    Column lists shared by the cost models, so a column is named once and passed through by a loop;
    models spell out only the columns they compute.
-#}

{#- FOCUS 1.2 columns Azure's FocusCost exports carry (PricingCurrency* unit prices are computed in focus_costs). -#}
{% macro focus_cost_columns() %}
    {{ return([
        'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName',
        'BillingAccountType', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
        'CapacityReservationId', 'CapacityReservationStatus', 'ChargeCategory', 'ChargeClass',
        'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
        'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountQuantity',
        'CommitmentDiscountStatus', 'CommitmentDiscountType', 'CommitmentDiscountUnit', 'ConsumedQuantity',
        'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost',
        'InvoiceId', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice',
        'PricingCategory', 'PricingCurrency', 'PricingQuantity', 'PricingUnit',
        'ProviderName', 'PublisherName', 'RegionId', 'RegionName',
        'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory',
        'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter',
        'SkuPriceDetails', 'SkuPriceId', 'SubAccountId', 'SubAccountName',
        'SubAccountType', 'Tags'
    ]) }}
{% endmacro %}

{#- Microsoft's `x_` columns across every FocusCost data version. -#}
{% macro microsoft_x_columns() %}
    {{ return([
        'x_ChargeSubcategory', 'x_AccountId', 'x_AccountName', 'x_AccountOwnerId',
        'x_AmortizationClass', 'x_BilledCostInUsd', 'x_BilledUnitPrice', 'x_BillingAccountId',
        'x_BillingAccountName', 'x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_BillingProfileId',
        'x_BillingProfileName', 'x_ChargeId', 'x_ContractedCostInUsd', 'x_CostAllocationRuleName',
        'x_CostCenter', 'x_CustomerId', 'x_CustomerName', 'x_EffectiveCostInUsd',
        'x_EffectiveUnitPrice', 'x_InvoiceIssuerId', 'x_InvoiceSectionId', 'x_InvoiceSectionName',
        'x_ListCostInUsd', 'x_OnDemandCost', 'x_OnDemandCostInUsd', 'x_OnDemandUnitPrice',
        'x_PartnerCreditApplied', 'x_PartnerCreditRate', 'x_PricingBlockSize', 'x_PricingSubcategory',
        'x_PricingUnitDescription', 'x_PublisherCategory', 'x_PublisherId', 'x_ResellerId',
        'x_ResellerName', 'x_ResourceGroupName', 'x_ResourceType', 'x_ServiceModel',
        'x_ServicePeriodEnd', 'x_ServicePeriodStart', 'x_SkuDescription', 'x_SkuDetails',
        'x_SkuIsCreditEligible', 'x_SkuMeterCategory', 'x_SkuMeterId', 'x_SkuMeterSubcategory',
        'x_SkuOfferId', 'x_SkuOrderId', 'x_SkuOrderName', 'x_SkuPartNumber',
        'x_SkuPlanName', 'x_SkuRegion', 'x_SkuServiceFamily', 'x_SkuTerm',
        'x_SkuTier'
    ]) }}
{% endmacro %}

{#- The loader's lineage columns (lake_*) and the `x_` names they carry in focus_costs. -#}
{% macro lineage_columns() %}
    {{ return({
        'lake_run_id': 'x_IngestionRunId',
        'lake_loaded_at': 'x_IngestedAt',
        'lake_export_name': 'x_ExportName',
        'lake_export_scope': 'x_ExportScope',
        'lake_data_version': 'x_ExportDataVersion',
        'lake_submitted_time': 'x_ExportSubmittedAt',
        'lake_billing_month': 'x_BillingMonth',
        'lake_source_file': 'x_SourceFile',
        'lake_extra_columns': 'x_SourceExtraColumns',
    }) }}
{% endmacro %}

{#- Lineage of a cost row beyond the loader's: which dataset it came from, which runs supplied its costs, and
    whether a cost was derived (see int_cost_rows_unioned). -#}
{% macro cost_source_columns() %}
    {{ return(['x_SourceDataset', 'x_BilledCostRunId', 'x_EffectiveCostRunId', 'x_CostDerivation']) }}
{% endmacro %}

{#- What the meter name says, on every cost row (int_ai_meters_classified). -#}
{% macro ai_meter_columns() %}
    {{ return([
        'x_AiIsAiMeter', 'x_AiClassificationSource', 'x_AiModelFamily', 'x_AiModelId', 'x_AiModelVersion',
        'x_AiModelDeveloper', 'x_AiModality', 'x_AiChargeKind', 'x_AiTokenDirection', 'x_AiTokenCacheAction',
        'x_AiTokenType', 'x_AiDeploymentType', 'x_AiIsBatch', 'x_AiIsPriority', 'x_AiLongContextTier',
    ]) }}
{% endmacro %}

{#- Every column int_cost_rows_normalized renders, in order: focus_costs adds only its row id. -#}
{% macro normalized_cost_columns() %}
    {{ return(lineage_columns().values() | list + cost_source_columns() + focus_cost_columns() + microsoft_x_columns()
        + [
            'PricingCurrencyListUnitPrice', 'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost',
            'ServiceProviderName', 'HostProviderName', 'x_ListCostSource', 'x_ContractedCostSource',
        ]
        + ai_meter_columns() + ['x_BillingMonthIngestedAt', 'x_SeedsChecksum']) }}
{% endmacro %}

{#- Types of the FocusCost columns that are not strings (as the loader types them), for casts that must agree
    across the branches of a union. -#}
{% macro focus_cost_column_type(column) %}
    {%- set types = {
        'BilledCost': 'double', 'CommitmentDiscountQuantity': 'double', 'ConsumedQuantity': 'double',
        'ContractedCost': 'double', 'ContractedUnitPrice': 'double', 'EffectiveCost': 'double', 'ListCost': 'double',
        'ListUnitPrice': 'double', 'PricingQuantity': 'double', 'x_BilledCostInUsd': 'double',
        'x_BilledUnitPrice': 'double', 'x_BillingExchangeRate': 'double', 'x_ContractedCostInUsd': 'double',
        'x_EffectiveCostInUsd': 'double', 'x_EffectiveUnitPrice': 'double', 'x_ListCostInUsd': 'double',
        'x_PricingBlockSize': 'double', 'x_OnDemandCost': 'double', 'x_OnDemandCostInUsd': 'double',
        'x_OnDemandUnitPrice': 'double',
        'BillingPeriodEnd': 'timestamp', 'BillingPeriodStart': 'timestamp', 'ChargePeriodEnd': 'timestamp',
        'ChargePeriodStart': 'timestamp', 'x_BillingExchangeRateDate': 'timestamp', 'x_ServicePeriodEnd': 'timestamp',
        'x_ServicePeriodStart': 'timestamp', 'x_IngestedAt': 'timestamp', 'x_ExportSubmittedAt': 'timestamp',
        'x_SkuIsCreditEligible': 'boolean',
    } -%}
    {{ return(types.get(column, 'string')) }}
{% endmacro %}
