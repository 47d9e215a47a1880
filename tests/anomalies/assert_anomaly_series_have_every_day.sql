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

spans_in_days as (
    select
        *,
        {{ dbt.datediff('first_date', 'last_date', 'day') }} + 1 as days_spanned
    from spans
),

data_end as (
    select max(charge_date) as last_date from {{ ref('int_ai_costs_daily_unioned') }}
)

select spans_in_days.*
from spans_in_days
cross join data_end
where
    spans_in_days.day_count <> spans_in_days.days_spanned
    or spans_in_days.last_date <> data_end.last_date
