-- Cost relations FOCUS 1.2 states, checked on every row of focus_costs (within a cent, as doubles are summed):
-- unit price x PricingQuantity = cost (ListUnitPrice-C-010-C, ContractedUnitPrice-C-011-C; not for
-- corrections), EffectiveCost 0 on commitment purchases (EffectiveCost-C-005-C), pricing-currency cost
-- consistent with the billing currency. Plus no negative quantities on usage rows, and Azure's rule that
-- charges without a commitment cost their billed cost (EffectiveCost = BilledCost). Returns the failing checks.
{%- set rate = "case when PricingCurrency = BillingCurrency then 1.0 else x_BillingExchangeRate end" %}
{{ failing_rows(ref('focus_costs'), [
    ('ListCost = ListUnitPrice x PricingQuantity within a cent',
        'ListUnitPrice is null or PricingQuantity is null or ChargeClass is not null'
        ~ ' or abs(ListUnitPrice * PricingQuantity - ListCost) < 0.01'),
    ('ContractedCost = ContractedUnitPrice x PricingQuantity within a cent',
        'ContractedUnitPrice is null or PricingQuantity is null or ChargeClass is not null'
        ~ ' or abs(ContractedUnitPrice * PricingQuantity - ContractedCost) < 0.01'),
    ('EffectiveCost is 0 on commitment purchases',
        "not (ChargeCategory = 'Purchase' and CommitmentDiscountId is not null) or EffectiveCost = 0"),
    ('EffectiveCost = BilledCost on charges without a commitment',
        "CommitmentDiscountId is not null or ChargeCategory not in ('Usage', 'Purchase')"
        ~ ' or abs(EffectiveCost - BilledCost) < 0.01'),
    ('PricingCurrencyEffectiveCost x exchange rate = EffectiveCost within a cent',
        'abs(PricingCurrencyEffectiveCost * ' ~ rate ~ ' - EffectiveCost) < 0.01'),
    ('no negative quantities on usage rows',
        "ChargeCategory <> 'Usage' or ChargeClass is not null"
        ~ ' or (coalesce(PricingQuantity, 0) >= 0 and coalesce(ConsumedQuantity, 0) >= 0)'),
    ('no negative unit prices', 'coalesce(ListUnitPrice, 0) >= 0 and coalesce(ContractedUnitPrice, 0) >= 0'),
    ('token rows count single tokens: ConsumedQuantity = PricingQuantity x block size, unit Tokens',
        "coalesce(x_AiChargeKind, '') <> 'tokens' or ChargeCategory <> 'Usage'"
        ~ " or (ConsumedUnit = 'Tokens' and abs(ConsumedQuantity - PricingQuantity * x_PricingBlockSize) < 0.5)"),
]) }}
