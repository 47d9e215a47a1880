-- The detector macro on synthetic series with known answers (8 weeks from Monday 2026-01-05, weekday/weekend
-- profile, +-3% deterministic noise). Fails with the scenario and the day where the detector got it wrong.
--   spike           x5 on day 44 (a Wednesday): flagged that day, no other day
--   weekend_zero    weekdays only, zero at weekends: nothing flagged (zero days are seasonal, not drops)
--   month_boundary  on-demand cost plus a 13000-a-month commitment bought for Feb 1, amortized at 13000 / days in
--                   month (464 a day in February, 419 in March), passed as the fixed part: nothing flagged (known
--                   spend, not an anomaly, and month lengths do not alarm)
--   level_shift     x2 from day 35 on: flagged from day 35, for at most anomaly_level_shift_days days, then quiet
--   growth          +25% a day, compounding, from day 35 on (a runaway that gets worse): flagged every day from 35
--                   to 45, past anomaly_level_shift_days: it is not a new steady level
--   cold_start      x5 on day 10: not flagged (fewer than anomaly_min_history_days days of history), but kept
--                   out of the baseline (pass 1 flags from day 10): the next Thursdays are not flagged as drops
--   outage          0 on day 46: flagged as a drop
--   unit_price      1.60 per 1M tokens, 1.80 from day 40 (+12.5%) on 10M tokens a day: flagged on day 40
{%- set level_shift_days = aoai_finops.anomaly_config().level_shift_days %}
{%- set synthetic -%}
(
    select
        scenarios.series_name,
        days.day_number,
        days.day_date,
        case
            when scenarios.series_name = 'month_boundary' and days.day_date >= cast('2026-02-01' as date)
                then 13000.0 / case when days.day_date < cast('2026-03-01' as date) then 28 else 31 end
            else 0
        end as day_fixed,
        case when scenarios.series_name = 'unit_price' then 10 else 1 end as day_impact_per_unit,
        case scenarios.series_name
            when 'spike' then days.base * 100 * case when days.day_number = 44 then 5 else 1 end
            when 'weekend_zero' then case when days.is_weekend then 0 else days.base * 100 end
            when 'month_boundary' then days.base * 50
            when 'level_shift' then days.base * 100 * case when days.day_number >= 35 then 2 else 1 end
            when 'growth' then days.base * 100 * power(1.25, greatest(days.day_number - 34, 0))
            when 'cold_start' then days.base * 100 * case when days.day_number = 10 then 5 else 1 end
            when 'outage' then case when days.day_number = 46 then 0 else days.base * 100 end
            when 'unit_price' then 1.6 * (1 + (days.noise / 10)) * case when days.day_number >= 40 then 1.125 else 1 end
        end
        + case
            when scenarios.series_name = 'month_boundary' and days.day_date >= cast('2026-02-01' as date)
                then 13000.0 / case when days.day_date < cast('2026-03-01' as date) then 28 else 31 end
            else 0
        end as day_value
    from (
        {{ aoai_finops.synthetic_series_days(8) | indent(8) }}
    ) as days
    cross join (
        values ('spike'), ('weekend_zero'), ('month_boundary'), ('level_shift'), ('growth'), ('cold_start'),
        ('outage'), ('unit_price')
    ) as scenarios (series_name)
) as synthetic
{%- endset %}

with detected as (
    select * from (
        {{ aoai_finops.detect_anomalies(
            relation=synthetic,
            partition_by=['series_name'],
            date_column='day_date',
            value_column='day_value',
            fixed_column='day_fixed',
            impact_per_unit_column='day_impact_per_unit',
            passthrough=['day_number'],
        ) | indent(8) }}
    ) as detector_output
),

problems as (
    select
        series_name,
        day_number,
        case
            when series_name = 'spike' and is_anomaly <> (day_number = 44) then 'spike day only'
            when series_name in ('weekend_zero', 'month_boundary', 'cold_start') and is_anomaly then 'nothing flagged'
            when series_name = 'level_shift' and day_number = 35 and not is_anomaly then 'shift flagged on day one'
            when
                series_name = 'level_shift' and is_anomaly
                and day_number not between 35 and 34 + {{ level_shift_days }}
                then 'shift flagged only while new'
            when series_name = 'growth' and day_number between 35 and 45 and not is_anomaly then 'growth flagged'
            when series_name = 'growth' and day_number < 35 and is_anomaly then 'nothing before growth'
            when series_name = 'outage' and is_anomaly <> (day_number = 46) then 'outage day only'
            when series_name = 'outage' and is_anomaly and anomaly_direction <> 'drop' then 'outage is a drop'
            when series_name = 'unit_price' and day_number = 40 and not is_anomaly then 'price change flagged'
            when series_name = 'unit_price' and day_number < 40 and is_anomaly then 'steady price not flagged'
        end as problem
    from detected
)

select * from problems
where problem is not null
