-- Tokens in the AI mart equal the raw export quantities times the block size of their unit of measure, per
-- billing month, and the mart's costs equal the AI token rows of focus_costs: the mapping and the daily
-- aggregation neither lose nor invent tokens or cost. Raw quantities are read from the staged lake tables of
-- every flavour with the precedence focus_costs uses: per billing month and export scope FocusCost if loaded,
-- else ActualCost, else AmortizedCost (token usage is in both legacy datasets, so it counts once).
-- Quantities count as tokens on token meters only: an AI meter whose charge kind is unknown keeps its cost in
-- the mart (the unclassified bucket) but not its quantity, which may not be tokens.
-- Returns the months that disagree.
{%- set flavours = [
    ('focus_cost', 1, 'stg_cost_exports__focus_cost', {
        'x_SkuMeterId': 'x_SkuMeterId', 'SkuMeter': 'SkuMeter', 'x_SkuMeterCategory': 'x_SkuMeterCategory',
        'x_SkuMeterSubcategory': 'x_SkuMeterSubcategory', 'x_PricingUnitDescription': 'x_PricingUnitDescription',
        'quantity': 'PricingQuantity', 'block_size': 'x_PricingBlockSize', 'charge_start': 'ChargePeriodStart'}),
    ('actual_cost', 2, 'stg_cost_exports__actual_cost', {
        'x_SkuMeterId': 'MeterId', 'SkuMeter': 'MeterName', 'x_SkuMeterCategory': 'MeterCategory',
        'x_SkuMeterSubcategory': 'MeterSubCategory', 'x_PricingUnitDescription': 'UnitOfMeasure',
        'quantity': 'Quantity', 'block_size': 'cast(null as double)', 'charge_start': 'ChargeDate'}),
    ('amortized_cost', 3, 'stg_cost_exports__amortized_cost', {
        'x_SkuMeterId': 'MeterId', 'SkuMeter': 'MeterName', 'x_SkuMeterCategory': 'MeterCategory',
        'x_SkuMeterSubcategory': 'MeterSubCategory', 'x_PricingUnitDescription': 'UnitOfMeasure',
        'quantity': 'Quantity', 'block_size': 'cast(null as double)', 'charge_start': 'ChargeDate'}),
] %}

with token_meters as (
    select * from {{ ref('int_ai_meters_classified') }}
    where is_ai_meter and charge_kind = 'tokens'
),

pricing_units as (
    select * from {{ ref('ai_pricing_units') }}
),

raw_rows as (
    {%- for table_name, preference, model, columns in flavours %}
    select
        lake_billing_month,
        lake_export_scope,
        {%- for name, expression in columns.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
        {{ preference }} as preference
    from {{ aoai_finops.tested_rows(ref(model), month_column='lake_billing_month') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

preferred as (
    select
        lake_billing_month,
        lake_export_scope,
        min(preference) as preference
    from raw_rows
    group by lake_billing_month, lake_export_scope
),

raw_tokens as (
    select
        {{ dbt.date_trunc('month', 'cost_rows.charge_start') }} as month_start,
        sum(cost_rows.quantity * coalesce(cost_rows.block_size, pricing_units.pricing_block_size)) as tokens
    from raw_rows as cost_rows
    inner join preferred
        on
            cost_rows.lake_billing_month = preferred.lake_billing_month
            and cost_rows.lake_export_scope = preferred.lake_export_scope
            and cost_rows.preference = preferred.preference
    inner join token_meters
        on {{ meter_identity_join('cost_rows', 'token_meters') }}
    left join pricing_units
        on cost_rows.x_PricingUnitDescription = pricing_units.unit_of_measure
    group by {{ dbt.date_trunc('month', 'cost_rows.charge_start') }}
),

focus_token_costs as (
    select
        {{ dbt.date_trunc('month', 'ChargePeriodStart') }} as month_start,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ aoai_finops.tested_rows(ref('focus_costs')) }}
    where x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') = 'tokens'
    group by {{ dbt.date_trunc('month', 'ChargePeriodStart') }}
),

mart as (
    select
        {{ dbt.date_trunc('month', 'charge_date') }} as month_start,
        sum(tokens) as tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ aoai_finops.tested_rows(ref('fct_ai_token_costs_daily')) }}
    group by {{ dbt.date_trunc('month', 'charge_date') }}
),

compared as (
    select
        coalesce(raw_tokens.month_start, mart.month_start) as month_start,
        raw_tokens.tokens as raw_tokens,
        mart.tokens as mart_tokens,
        focus_token_costs.billed_cost as focus_billed_cost,
        mart.billed_cost as mart_billed_cost,
        focus_token_costs.effective_cost as focus_effective_cost,
        mart.effective_cost as mart_effective_cost
    from raw_tokens
    full outer join mart on raw_tokens.month_start = mart.month_start
    left join focus_token_costs on coalesce(raw_tokens.month_start, mart.month_start) = focus_token_costs.month_start
)

select * from compared
where
    raw_tokens is null
    or mart_tokens is null
    or abs(raw_tokens - mart_tokens) >= 0.5
    or abs(focus_billed_cost - mart_billed_cost) >= 0.005
    or abs(focus_effective_cost - mart_effective_cost) >= 0.005
