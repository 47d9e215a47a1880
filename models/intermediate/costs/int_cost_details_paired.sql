-- One row per charge of the legacy cost details exports: each ActualCost row paired with the AmortizedCost row
-- of the same charge (same billing month and export scope), so BilledCost can come from the actual cost and
-- EffectiveCost from the amortized cost.
--
-- Match key: billing month, export scope, day, subscription, lower-cased ResourceId, MeterId, unit of measure,
-- ChargeType, PricingModel and the reservation / savings plan (BenefitId, else ReservationId), plus an ordinal
-- that pairs repeated keys in order of quantity, AdditionalInfo, Tags and ResourceId (equal on both sides for
-- the same charge). Not one to one by design: purchases are only in ActualCost, unused reservation hours only in
-- AmortizedCost; covered usage is in both (0 in ActualCost, its share of the reservation in AmortizedCost).
-- A row without a partner keeps the other side null; int_cost_rows_unioned derives the missing cost.
{%- set key_columns = {
    'match_charge_date': 'ChargeDate',
    'match_subscription': "coalesce(SubscriptionId, '')",
    'match_resource': "lower(coalesce(ResourceId, ''))",
    'match_meter': "coalesce(MeterId, '')",
    'match_unit': "coalesce(UnitOfMeasure, '')",
    'match_charge_type': "lower(coalesce(ChargeType, ''))",
    'match_pricing_model': "lower(coalesce(PricingModel, ''))",
    'match_benefit': "lower(coalesce(nullif(BenefitId, ''), nullif(ReservationId, ''), ''))",
} %}
{%- set partition_by = ['lake_billing_month', 'lake_export_scope'] + key_columns.values() | list %}

with

{%- for side in ['actual', 'amortized'] %}
{{ side }} as (
    select
        *,
        {%- for name, expression in key_columns.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        row_number() over (
            partition by {{ partition_by | join(', ') }}
            order by
                Quantity nulls first,
                AdditionalInfo nulls first,
                Tags nulls first,
                ResourceId nulls first
        ) as match_ordinal
    from {{ ref('stg_cost_exports__' ~ side ~ '_cost') }}
),
{% endfor %}

paired as (
    select
        {%- for column in cost_details_charge_columns() %}
        coalesce(actual.{{ column }}, amortized.{{ column }}) as {{ column }},
        {%- endfor %}
        actual.CostInBillingCurrency as actual_cost,
        amortized.CostInBillingCurrency as amortized_cost,
        actual.CostInUsd as actual_cost_in_usd,
        amortized.CostInUsd as amortized_cost_in_usd,
        actual.EffectivePrice as actual_effective_price,
        amortized.EffectivePrice as amortized_effective_price,
        coalesce(actual.PaygCostInBillingCurrency, amortized.PaygCostInBillingCurrency) as PaygCostInBillingCurrency,
        coalesce(actual.PaygCostInUsd, amortized.PaygCostInUsd) as PaygCostInUsd,
        {%- for column in lineage_columns().keys() %}
        coalesce(actual.{{ column }}, amortized.{{ column }}) as {{ column }},
        {%- endfor %}
        actual.lake_run_id as actual_run_id,
        amortized.lake_run_id as amortized_run_id
    from actual
    full outer join amortized
        on
            actual.lake_billing_month = amortized.lake_billing_month
            and actual.lake_export_scope = amortized.lake_export_scope
            {%- for name in key_columns %}
            and actual.{{ name }} = amortized.{{ name }}
            {%- endfor %}
            and actual.match_ordinal = amortized.match_ordinal
)

select * from paired
