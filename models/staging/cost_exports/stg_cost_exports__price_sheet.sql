-- PriceSheet exports (EA or MCA) as loaded into the lake, one row per meter price of the sheet.
with source as (
    select * from {{ source('cost_exports', 'price_sheet') }}
),

renamed as (
    select
        BillingAccountId,
        BillingAccountName,
        BillingProfileId,
        BillingProfileName,
        EnrollmentNumber,
        OfferId,
        MeterId,
        MeterName,
        MeterCategory,
        MeterSubCategory,
        MeterRegion,
        MeterType,
        ServiceFamily,
        Product,
        ProductId,
        SkuId,
        PartNumber,
        PriceType,
        Term,
        UnitOfMeasure,
        TierMinimumUnits,
        IncludedQuantity,
        UnitPrice,
        MarketPrice,
        BasePrice,
        coalesce(BillingCurrency, Currency) as BillingCurrency,
        EffectiveStartDate,
        EffectiveEndDate,
        lake_run_id,
        lake_loaded_at,
        lake_export_name,
        lake_export_scope,
        lake_data_version,
        lake_submitted_time,
        lake_billing_month,
        lake_source_file,
        lake_extra_columns
    from source
)

select * from renamed
