-- One row per calendar month of the anomaly series (int_anomaly_series_daily) and a fingerprint of what its days
-- are made of. int_anomaly_series_scored scores a month again when its fingerprint changed, and every month after
-- it (their windows read its days). The fingerprint holds:
--   * the detector's settings (anomaly_config()) and the seeds checksum (seeds classify the meters);
--   * the state of each lake billing month whose charges start in this month: its ingestion time and, with the
--     allocation levels on, its allocation fingerprint (int_allocation_billing_months). The series amounts come
--     from those months alone, or from days before them through the detector's history;
--   * every series day's identity and labels (series, scope, names, currency): a scope's name and an account's
--     currency are the latest over every month, so a newer month can relabel older days.
-- Amounts are not hashed: sums of doubles differ in their last bits from one build to the next, and a month must
-- not look changed for that.
-- A table: tiny, and read by the incremental plan of int_anomaly_series_scored.
{{ config(materialized='table') }}
{%- set allocation = var('anomaly_allocation_levels', false) %}
{%- set settings = local_md5(aoai_finops.anomaly_config() | dictsort | string) ~ '-' ~ aoai_finops.seeds_checksum() %}
{%- set labels = ['series_id', 'scope_key', 'scope_level', 'metric'] + aoai_finops.anomaly_scope_columns() + [
    'scope_id', 'scope_name', 'billing_currency', 'metric_date',
] %}

with series_months as (
    select
        billing_month,
        {{ aoai_finops.hash_sum(aoai_finops.surrogate_key(labels)) }} as labels_fingerprint
    from {{ ref('int_anomaly_series_daily') }}
    group by billing_month
),

-- The first day each lake billing month has AI charges on, in the series' sources.
lake_month_first_days as (
    select
        billing_month,
        min(charge_date) as first_charge_date
    from {{ ref('fct_ai_token_costs_daily') }}
    group by billing_month
    union all
    select
        x_BillingMonth as billing_month,
        min(cast(ChargePeriodStart as date)) as first_charge_date
    from {{ ref('focus_costs') }}
    where x_AiIsAiMeter
    group by x_BillingMonth
    {%- if allocation %}
    union all
    select
        billing_month,
        min(charge_date) as first_charge_date
    from {{ ref('fct_cost_allocation_daily') }}
    group by billing_month
    {%- endif %}
),

lake_month_states as (
    select
        {{ aoai_finops.month_string('min(first_days.first_charge_date)') }} as first_charge_month,
        {{ aoai_finops.surrogate_key([
            'lake_months.billing_month', 'lake_months.ingested_at',
            'max(allocation_months.fingerprint)' if allocation else "'no allocation levels'",
        ]) }} as lake_month_state
    from {{ ref('int_lake_billing_months') }} as lake_months
    inner join lake_month_first_days as first_days
        on lake_months.billing_month = first_days.billing_month
    {%- if allocation %}
    left join {{ ref('int_allocation_billing_months') }} as allocation_months
        on lake_months.billing_month = allocation_months.billing_month
    {%- endif %}
    group by
        lake_months.billing_month,
        lake_months.ingested_at
),

first_series_month as (
    select min(billing_month) as billing_month
    from series_months
),

-- A lake month with charges before the first series day (none with cost) counts in the first series month.
filed_lake_month_states as (
    select
        case
            when lake_month_states.first_charge_month < first_series_month.billing_month
                then first_series_month.billing_month
            else lake_month_states.first_charge_month
        end as billing_month,
        lake_month_states.lake_month_state
    from lake_month_states
    cross join first_series_month
),

filed_states as (
    select
        billing_month,
        {{ aoai_finops.hash_sum('lake_month_state') }} as lake_months_fingerprint
    from filed_lake_month_states
    group by billing_month
),

final as (
    select
        series_months.billing_month,
        {{ dbt.concat([
            aoai_finops.sql_string_literal(settings), "'-'", 'series_months.labels_fingerprint', "'-'",
            "coalesce(filed_states.lake_months_fingerprint, 'no lake month')",
        ]) }} as fingerprint
    from series_months
    left join filed_states
        on series_months.billing_month = filed_states.billing_month
)

select * from final
