-- The daily sums of every scope of the levels read from the AI charges (anomaly_levels() with source ai_costs):
-- one row per level x scope x charge date, before the series are zero-filled (int_anomaly_series_daily).
-- Stored and incremental by the month of the charge date, like its input int_ai_costs_daily_unioned
-- (ai_charge_month_state): grouping its every row again once per level was most of the series' time at scale.
{%- set month_state = aoai_finops.ai_charge_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set levels = aoai_finops.anomaly_levels() | selectattr('source', 'equalto', 'ai_costs') | list %}

with scope_days as (
    {%- for level in levels %}
    {{ aoai_finops.anomaly_scope_days(level, aoai_finops.billing_months_in('billing_month', plan)) | indent(4) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

{{ aoai_finops.ai_charge_month_stamped('scope_days') }}
