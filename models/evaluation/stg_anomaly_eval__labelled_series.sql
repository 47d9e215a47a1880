{{ config(enabled=var('anomaly_eval', false), tags=['anomaly_eval']) }}

select
    cast(series_name as string) as series_name,
    cast(series_date as date) as series_date,
    cast(series_value as double) as series_value,
    cast(is_labelled_anomaly as boolean) as is_labelled_anomaly
from {{ source('anomaly_eval', 'labelled_series') }}
