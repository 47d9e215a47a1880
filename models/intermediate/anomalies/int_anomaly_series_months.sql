-- One row per calendar month of the anomaly series (int_anomaly_series_daily) and a fingerprint of what its days
-- are made of. int_anomaly_series_scored scores a month again when its fingerprint changed, and every month after
-- it (their windows read its days). The fingerprint holds:
--   * the detector's settings (anomaly_config()) and the seeds checksum (seeds classify the meters);
--   * the AI charges of the month (int_ai_costs_daily_months: the lake billing months whose charges start in it)
--     and, with the allocation levels on, the allocation fingerprint (int_allocation_billing_months) of each lake
--     billing month whose allocated charges start in it. The series amounts come from those months alone, or from
--     days before them through the detector's history;
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
{% if allocation %}
-- The months each lake billing month has allocated charges in.
allocation_charge_months as (
    select distinct
        billing_month as lake_billing_month,
        {{ aoai_finops.month_string('charge_date') }} as billing_month
    from {{ ref('fct_cost_allocation_daily') }}
),
{% endif %}
-- The state of each month's AI charges (int_ai_costs_daily_months: their lake months and the price windows) and,
-- with the allocation levels, the allocation of each lake billing month, filed under the month its allocated
-- charges start in.
month_states as (
    select
        billing_month,
        fingerprint as month_state
    from {{ ref('int_ai_costs_daily_months') }}
    {%- if allocation %}
    union all
    {{ aoai_finops.lake_month_states_by_first_charge_month(
        ref('int_allocation_billing_months'), ['fingerprint'], 'allocation_charge_months'
    ) | indent(4) }}
    {%- endif %}
),

first_series_month as (
    select min(billing_month) as billing_month
    from series_months
),

-- A month of charges before the first series day (none with cost) counts in the first series month.
filed_month_states as (
    select
        case
            when month_states.billing_month < first_series_month.billing_month
                then first_series_month.billing_month
            else month_states.billing_month
        end as billing_month,
        month_states.month_state
    from month_states
    cross join first_series_month
),

filed_states as (
    select
        billing_month,
        {{ aoai_finops.hash_sum('month_state') }} as charges_fingerprint
    from filed_month_states
    group by billing_month
),

final as (
    select
        series_months.billing_month,
        {{ dbt.concat([
            aoai_finops.sql_string_literal(settings), "'-'", 'series_months.labels_fingerprint', "'-'",
            "coalesce(filed_states.charges_fingerprint, 'no charges')",
        ]) }} as fingerprint
    from series_months
    left join filed_states
        on series_months.billing_month = filed_states.billing_month
)

select * from final
