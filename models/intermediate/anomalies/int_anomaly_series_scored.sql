-- Every day of every anomaly series, scored by the detector (the same macro the evaluation harness measures):
-- expected value, bounds, score, and whether the day is an anomaly.
-- Incremental by the month of its days on int_anomaly_series_months: a month whose series days changed is scored
-- again, and so is every month after it; the days before keep their scores, and the detector carries on from their
-- stored state (macros/anomalies/anomaly_series_months.sql).
{%- set month_state = aoai_finops.anomaly_series_month_state() %}
{%- set incremental_config = aoai_finops.incremental_by_billing_month(**month_state) %}
{#- The state is saved before the months to remove are deleted: after, the plan would no longer name them. -#}
{%- do incremental_config.pre_hook.insert(0, '{{ aoai_finops.save_anomaly_prior_state() }}') %}
{%- do incremental_config.update({'post_hook': ['{{ aoai_finops.drop_anomaly_prior_state() }}']}) %}
{{ config(materialized='incremental', **incremental_config) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}

{%- if plan.rebuild is not none and not plan.rebuild %}
select * from {{ this }} where 1 = 0
{%- else %}
{%- set series_days %}
    (
        select
            series_daily.*,
            series_months.fingerprint as series_fingerprint
        from {{ ref('int_anomaly_series_daily') }} as series_daily
        inner join {{ ref('int_anomaly_series_months') }} as series_months
            on series_daily.billing_month = series_months.billing_month
    )
{%- endset %}

{{ aoai_finops.detect_anomalies(
    relation=series_days,
    partition_by=['series_id'],
    date_column='metric_date',
    value_column='metric_value',
    fixed_column='fixed_value',
    impact_per_unit_column='impact_per_unit',
    passthrough=aoai_finops.anomaly_series_columns() + ['billing_month', 'series_fingerprint'],
    prior_state=aoai_finops.anomaly_prior_state_relation(),
    score_from=aoai_finops.anomaly_score_from(plan),
) }}
{%- endif %}
