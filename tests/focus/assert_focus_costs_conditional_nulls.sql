-- FOCUS 1.2 nullability rules of focus_costs checked on every row, as the specification words them. The
-- official validator covers most of them, but two of its rules are miscoded (CommitmentDiscountStatus-C-004-C,
-- CapacityReservationStatus-C-004-C; see config/focus-validator/allowlist.csv): this test checks the rules they
-- were meant to be. Returns the failing rules with a count and an example.
{%- set priced = "ChargeCategory in ('Usage', 'Purchase') and ChargeClass is null" %}
{{ failing_rows(ref('focus_costs'), [
    ('CommitmentDiscountStatus is null when CommitmentDiscountId is null',
        'CommitmentDiscountId is not null or CommitmentDiscountStatus is null'),
    ('CommitmentDiscountStatus is not null when CommitmentDiscountId is not null and ChargeCategory is Usage',
        "CommitmentDiscountId is null or ChargeCategory <> 'Usage' or CommitmentDiscountStatus is not null"),
    ('CapacityReservationStatus is null when CapacityReservationId is null',
        'CapacityReservationId is not null or CapacityReservationStatus is null'),
    ('CapacityReservationStatus is not null when CapacityReservationId is not null and ChargeCategory is Usage',
        "CapacityReservationId is null or ChargeCategory <> 'Usage' or CapacityReservationStatus is not null"),
    ('CommitmentDiscount Category, Type and Name are null exactly when CommitmentDiscountId is null',
        '(CommitmentDiscountId is null) = (CommitmentDiscountCategory is null)'
        ~ ' and (CommitmentDiscountId is null) = (CommitmentDiscountType is null)'
        ~ ' and (CommitmentDiscountId is not null or CommitmentDiscountName is null)'),
    ('CommitmentDiscountQuantity and Unit are set for commitment usage and purchases, else null',
        "(CommitmentDiscountId is not null and ChargeCategory in ('Usage', 'Purchase') and ChargeClass is null)"
        ~ ' = (CommitmentDiscountQuantity is not null)'
        ~ ' and (CommitmentDiscountQuantity is null) = (CommitmentDiscountUnit is null)'),
    ('ConsumedQuantity is null for non-usage and unused commitment, else set',
        "(ChargeCategory = 'Usage' and coalesce(CommitmentDiscountStatus, '') <> 'Unused')"
        ~ ' = (ConsumedQuantity is not null) or ChargeClass is not null'),
    ('ConsumedUnit is null exactly when ConsumedQuantity is null', '(ConsumedQuantity is null) = (ConsumedUnit is null)'),
    ('PricingUnit is null exactly when PricingQuantity is null', '(PricingQuantity is null) = (PricingUnit is null)'),
    ('prices, quantity, SKU and pricing category are set on usage and purchases',
        'not (' ~ priced ~ ') or (ListUnitPrice is not null and ContractedUnitPrice is not null'
        ~ ' and PricingQuantity is not null and PricingCategory is not null and SkuId is not null'
        ~ ' and SkuPriceId is not null)'),
    ('prices, quantity, SKU and pricing category are null on taxes',
        "ChargeCategory <> 'Tax' or (ListUnitPrice is null and ContractedUnitPrice is null and PricingQuantity is null"
        ~ ' and PricingCategory is null and SkuId is null and SkuPriceId is null)'),
    ('SkuPriceDetails is null when SkuPriceId is null', 'SkuPriceId is not null or SkuPriceDetails is null'),
    ('SkuMeter is null when SkuId is null', 'SkuId is not null or SkuMeter is null'),
    ('ResourceType is null exactly when ResourceId is null', '(ResourceId is null) = (ResourceType is null)'),
    ('RegionName is null exactly when RegionId is null', '(RegionId is null) = (RegionName is null)'),
    ('SubAccountName and SubAccountType are null exactly when SubAccountId is null',
        '(SubAccountId is null) = (SubAccountName is null) and (SubAccountId is null) = (SubAccountType is null)'),
    ('BillingAccountType is set with BillingAccountId', 'BillingAccountType is not null'),
    ('mandatory columns are not null',
        'BilledCost is not null and EffectiveCost is not null and ListCost is not null and ContractedCost is not null'
        ~ ' and BillingAccountId is not null and BillingCurrency is not null and ChargeCategory is not null'
        ~ ' and ChargeFrequency is not null and ChargePeriodStart is not null and ChargePeriodEnd is not null'
        ~ ' and BillingPeriodStart is not null and BillingPeriodEnd is not null and InvoiceIssuerName is not null'
        ~ ' and ProviderName is not null and PublisherName is not null and ServiceName is not null'
        ~ ' and ServiceCategory is not null and ServiceSubcategory is not null and PricingCurrency is not null'
        ~ ' and PricingCurrencyEffectiveCost is not null'),
]) }}
