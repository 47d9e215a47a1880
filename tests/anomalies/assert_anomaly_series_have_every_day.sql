-- A missing day is a zero, not a gap: every series has one row per day from its first day to the last day of data.
with series_days as (
    select
        series_id,
        metric_date,
        lag(metric_date) over (partition by series_id order by metric_date) as previous_date,
        max(metric_date) over (partition by series_id) as series_last_date
    from {{ ref('int_anomaly_series_daily') }}
),

data_end as (
    select max(charge_date) as last_date from {{ ref('int_ai_costs_daily_unioned') }}
)

select series_days.*
from series_days
cross join data_end
where
    cast({{ dbt.dateadd('day', 1, 'series_days.previous_date') }} as date) <> series_days.metric_date
    or series_days.series_last_date <> data_end.last_date
