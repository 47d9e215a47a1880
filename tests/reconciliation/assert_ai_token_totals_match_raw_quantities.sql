-- Tokens in the AI mart equal the raw export quantities times the block size of their unit of measure, per
-- billing month, and the mart's costs equal the AI token rows of focus_costs: the daily aggregation neither
-- loses nor invents tokens or cost. Returns the months that disagree.
-- Quantities count as tokens on token meters only: an AI meter whose charge kind is unknown keeps its cost in
-- the mart (the unclassified bucket) but not its quantity, which may not be tokens.
with token_meters as (
    select * from {{ ref('int_ai_meters_classified') }}
    where is_ai_meter and charge_kind = 'tokens'
),

pricing_units as (
    select * from {{ ref('ai_pricing_units') }}
),

raw_tokens as (
    select
        {{ dbt.date_trunc('month', 'cost_rows.ChargePeriodStart') }} as month_start,
        sum(
            cost_rows.PricingQuantity * coalesce(cost_rows.x_PricingBlockSize, pricing_units.pricing_block_size)
        ) as tokens
    from {{ ref('stg_cost_exports__focus_cost') }} as cost_rows
    inner join token_meters
        on {{ meter_identity_join('cost_rows', 'token_meters') }}
    left join pricing_units
        on cost_rows.x_PricingUnitDescription = pricing_units.unit_of_measure
    group by {{ dbt.date_trunc('month', 'cost_rows.ChargePeriodStart') }}
),

focus_token_costs as (
    select
        {{ dbt.date_trunc('month', 'ChargePeriodStart') }} as month_start,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ ref('focus_costs') }}
    where x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') = 'tokens'
    group by {{ dbt.date_trunc('month', 'ChargePeriodStart') }}
),

mart as (
    select
        {{ dbt.date_trunc('month', 'charge_date') }} as month_start,
        sum(tokens) as tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('fct_ai_token_costs_daily') }}
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
