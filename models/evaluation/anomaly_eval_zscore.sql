-- The elementary-style baseline (z-score over 14 days, threshold 3) over the same labelled series.
{{ config(enabled=var('anomaly_eval', false), materialized='table', tags=['anomaly_eval']) }}

{{ aoai_finops.zscore_anomalies(
    relation=ref('stg_anomaly_eval__labelled_series'),
    partition_by=['series_name'],
    date_column='series_date',
    value_column='series_value',
    window_days=14,
    threshold=3,
    passthrough=['series_date', 'series_value', 'is_labelled_anomaly'],
) }}
