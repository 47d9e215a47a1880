-- The production detector (the same macro as int_anomaly_series_scored) over every labelled series.
{{ config(enabled=var('anomaly_eval', false), materialized='table', tags=['anomaly_eval']) }}

{{ aoai_finops.detect_anomalies(
    relation=ref('stg_anomaly_eval__labelled_series'),
    partition_by=['series_name'],
    date_column='series_date',
    value_column='series_value',
    passthrough=['series_date', 'series_value', 'is_labelled_anomaly'],
) }}
