-- Fixture staging model (not a product model): shows how a staging model reads a lake source on both engines.
-- Rename and cast only; explicit casts give the same column types on DuckDB and Spark.
select
    lake_billing_month as billing_month,
    lake_export_scope as export_scope,
    lake_run_id as run_id,
    lake_loaded_at as loaded_at,
    cast(ChargePeriodStart as date) as charge_date,
    ChargeCategory as charge_category,
    x_SkuMeterName as meter_name,
    Tags as tags_json,
    cast(BilledCost as double) as billed_cost,
    cast(EffectiveCost as double) as effective_cost,
    cast(PricingQuantity as double) as pricing_quantity,
    cast(x_PricingBlockSize as double) as pricing_block_size,
    x_SkuIsCreditEligible as is_credit_eligible
from {{ source('cost_exports', 'focus_cost') }}
