-- A missing day is a zero, not a gap: every series has one row per day from its first day to the last day of data.
with spans as (
    select
        series_id,
        min(metric_date) as first_date,
        max(metric_date) as last_date,
        count(*) as day_count
    from {{ ref('int_anomaly_series_daily') }}
    group by series_id
),

data_end as (
    select max(charge_date) as last_date from {{ ref('int_ai_costs_daily_unioned') }}
)

select spans.*
from spans
cross join data_end
where
    spans.day_count <> {{ dbt.datediff('spans.first_date', 'spans.last_date', 'day') }} + 1
    or spans.last_date <> data_end.last_date
