-- An incremental build scores only the days from a month on and reads the detector's stored state of the days
-- before (detect_anomalies(prior_state, score_from)): its scores must be the ones a build of every day gives.
-- Synthetic series of 20 weeks from Monday 2026-01-05 (weekday/weekend profile, deterministic noise), scored from
-- day 93, so that the 2W lookback does not reach the first day and runs cross the first day scored (one first day:
-- Spark's analyzer gives up on a query with three detectors):
--   steady        the profile alone
--   spikes        x6 on day 60 and on days 92 to 95 (an episode across day 93)
--   shift         x2 from day 88 on (a level shift, outliers for a few days, then history)
--   growth        +20% a day, compounding, from day 86 on (outliers past anomaly_level_shift_days)
--   intermittent  zero on days where (day x 7) mod 9 = 0 (unexpected zeros: the window mean takes over)
--   outage        zero from day 90 to day 96
--   trend         +1% a day, no profile nor noise: never an outlier, so one run of days not flagged, longer than
--                 the lookback (its day count carries on from the stored state)
--   late_start    starts on day 50 (its first days are in the lookback)
--   new_series    starts on day 100 (after the first day scored)
-- Fails with the first day scored, the series, the day and which side has the row.
{%- set first_days = [93] %}
{%- set numeric_columns = [
    'day_value', 'expected_value', 'lower_bound', 'upper_bound', 'noise_scale', 'anomaly_score', 'cost_impact',
    'p1_factor', 'p1_recent_level', 'p1_window_level', 'p2_factor', 'p2_recent_level', 'p2_window_level',
] %}
{%- set other_columns = ['series_name', 'day_date', 'day_of_week', 'history_days', 'is_outlier',
    'is_baseline_excluded', 'anomaly_direction', 'is_anomaly', 'anomaly_first_date', 'anomaly_run_day']
    + (aoai_finops.anomaly_state_columns() | reject('in', numeric_columns) | list) %}
{%- set compared = [] %}
{%- for column in numeric_columns %}{% do compared.append('round(' ~ column ~ ', 6) as ' ~ column) %}{% endfor %}
{%- set compared = compared + other_columns %}
{%- set synthetic -%}
(
    select
        scenarios.series_name,
        days.day_date,
        case when scenarios.series_name = 'trend' then 100 * power(1.01, days.day_number) else days.base * 100 end
        * case scenarios.series_name
            when 'spikes' then case when days.day_number = 60 or days.day_number between 92 and 95 then 6 else 1 end
            when 'shift' then case when days.day_number >= 88 then 2 else 1 end
            when 'growth' then power(1.2, greatest(days.day_number - 85, 0))
            when 'intermittent' then case when (days.day_number * 7) % 9 = 0 then 0 else 1 end
            when 'outage' then case when days.day_number between 90 and 96 then 0 else 1 end
            else 1
        end as day_value
    from (
        {{ aoai_finops.synthetic_series_days(20) | indent(8) }}
    ) as days
    cross join (
        values ('steady', 0), ('spikes', 0), ('shift', 0), ('growth', 0), ('intermittent', 0), ('outage', 0),
        ('trend', 0), ('late_start', 50), ('new_series', 100)
    ) as scenarios (series_name, first_day)
    where days.day_number >= scenarios.first_day
)
{%- endset %}
{%- set detector_arguments = {
    'relation': synthetic, 'partition_by': ['series_name'], 'date_column': 'day_date', 'value_column': 'day_value',
    'passthrough': ['day_date', 'day_value'],
} %}

with every_day as (
    select * from (
        {{ aoai_finops.detect_anomalies(**detector_arguments) | indent(8) }}
    ) as detector_output
),
{% for first_day in first_days %}
{%- set score_from = "cast('2026-01-05' as date) + " ~ first_day %}

from_day_{{ first_day }} as (
    select * from (
        {{ aoai_finops.detect_anomalies(prior_state='every_day', score_from=score_from, **detector_arguments)
            | indent(8) }}
    ) as detector_output
),

differences_from_day_{{ first_day }} as (
    select
        {{ first_day }} as first_day_scored,
        'only when scored from the day' as side,
        *
    from (
        select {{ compared | join(', ') }} from from_day_{{ first_day }}
        except
        select {{ compared | join(', ') }} from every_day
        where day_date >= {{ score_from }}
    ) as only_from_day
    union all
    select
        {{ first_day }} as first_day_scored,
        'only when every day is scored' as side,
        *
    from (
        select {{ compared | join(', ') }} from every_day
        where day_date >= {{ score_from }}
        except
        select {{ compared | join(', ') }} from from_day_{{ first_day }}
    ) as only_every_day
),
{% endfor %}

differences as (
    {%- for first_day in first_days %}
    select * from differences_from_day_{{ first_day }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from differences
