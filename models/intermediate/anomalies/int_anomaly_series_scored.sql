-- Every day of every anomaly series, scored by the detector (the same macro the evaluation harness measures):
-- expected value, bounds, score, and whether the day is an anomaly.
{{ config(materialized='table') }}
{%- set scope_columns = aoai_finops.anomaly_scope_columns() %}

{{ aoai_finops.detect_anomalies(
    relation=ref('int_anomaly_series_daily'),
    partition_by=['series_id'],
    date_column='metric_date',
    value_column='metric_value',
    fixed_column='fixed_value',
    impact_per_unit_column='impact_per_unit',
    passthrough=['scope_key', 'scope_level', 'metric'] + scope_columns + [
        'scope_id', 'scope_name', 'billing_currency', 'metric_date', 'metric_value', 'fixed_value',
        'impact_per_unit', 'effective_cost', 'committed_cost', 'tokens', 'price_effect_cost',
    ],
) }}
