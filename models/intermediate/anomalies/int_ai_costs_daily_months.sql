-- One row per calendar month of AI charges (the months of int_ai_costs_daily_unioned) and a fingerprint of what its
-- days are made of. int_ai_costs_daily_unioned rebuilds a month when its fingerprint changed, and every month after
-- it (a day's usual price reads the days before it). The fingerprint holds:
--   * the price window (anomaly_config().window_days) and the seeds checksum (seeds classify and price the meters);
--   * the state of each lake billing month whose AI charges start in this month: its billing month and ingestion
--     time. Its charges are in this month or later ones, so a changed lake month rebuilds them all.
-- A table: tiny, and read by the incremental plans of int_ai_costs_daily_unioned, int_anomaly_series_months and the
-- sums stored by charge month (int_ai_meter_days_aggregated, int_ai_deployment_days_aggregated,
-- int_ai_model_months_aggregated, int_anomaly_scope_days_aggregated: ai_charge_month_state()).
{{ config(materialized='table') }}
{%- set settings = aoai_finops.anomaly_config().window_days ~ '-' ~ aoai_finops.seeds_checksum() %}

with lake_month_charge_months as (
    select
        billing_month as lake_billing_month,
        {{ aoai_finops.month_string('charge_date') }} as billing_month
    from {{ ref('fct_ai_token_costs_daily') }}
    group by
        billing_month,
        {{ aoai_finops.month_string('charge_date') }}
    union all
    select
        x_BillingMonth as lake_billing_month,
        {{ aoai_finops.month_string('cast(ChargePeriodStart as date)') }} as billing_month
    from {{ ref('focus_costs') }}
    where {{ aoai_finops.other_ai_charges_filter() }}
    group by
        x_BillingMonth,
        {{ aoai_finops.month_string('cast(ChargePeriodStart as date)') }}
),

lake_month_states as (
    {{ aoai_finops.lake_month_states_by_first_charge_month(
        ref('int_lake_billing_months'), ['ingested_at'], 'lake_month_charge_months'
    ) | indent(4) }}
),

filed_states as (
    select
        billing_month,
        {{ aoai_finops.hash_sum('month_state') }} as lake_months_fingerprint
    from lake_month_states
    group by billing_month
),

charge_months as (
    select distinct billing_month
    from lake_month_charge_months
),

final as (
    select
        charge_months.billing_month,
        {{ dbt.concat([
            aoai_finops.sql_string_literal(settings), "'-'",
            "coalesce(filed_states.lake_months_fingerprint, 'no lake month starts here')",
        ]) }} as fingerprint
    from charge_months
    left join filed_states
        on charge_months.billing_month = filed_states.billing_month
)

select * from final
