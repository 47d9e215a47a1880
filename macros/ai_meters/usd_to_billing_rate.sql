{#- usd_to_billing_rate(row): billing currency units per US dollar for a cost row (the price catalog is in USD):
    1 for USD bills; else the row's own costs over their USD amounts, else its exchange rate when it is priced in
    USD. Null when the row says neither (an EA bill in EUR without USD amounts: its pricing currency is EUR, and
    x_BillingExchangeRate of 1 converts EUR to EUR, not USD). -#}
{% macro usd_to_billing_rate(row) -%}
    case
        when {{ row }}.BillingCurrency = 'USD' then 1.0
        else coalesce(
            nullif({{ row }}.ListCost, 0) / nullif({{ row }}.x_ListCostInUsd, 0),
            nullif({{ row }}.BilledCost, 0) / nullif({{ row }}.x_BilledCostInUsd, 0),
            nullif({{ row }}.EffectiveCost, 0) / nullif({{ row }}.x_EffectiveCostInUsd, 0),
            case
                when coalesce({{ row }}.PricingCurrency, {{ row }}.BillingCurrency) = 'USD'
                    then nullif({{ row }}.x_BillingExchangeRate, 0)
            end
        )
    end
{%- endmacro %}
