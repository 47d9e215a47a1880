{#-
    zscore_anomalies(relation, partition_by, date_column, value_column, window_days=14, threshold=3,
                     passthrough=[]): the elementary-style baseline the evaluation harness compares the detector
    with (docs/anomalies.md). For each day: z = (value - mean) / sample standard deviation of the previous
    `window_days` days (elementary's default training period, 14 days, and anomaly_sensitivity, 3); an anomaly
    when |z| > threshold. No seasonality, no robust statistics, no exclusion of earlier anomalies. It is scored
    from the same first day as the detector (anomaly_min_history_days), so cold start is treated alike.
    Not used by the marts.
-#}
{% macro zscore_anomalies(relation, partition_by, date_column, value_column, window_days=14, threshold=3,
                          passthrough=[]) %}
{%- set cfg = aoai_finops.anomaly_config() %}
{%- set keys = partition_by | join(', ') %}
{%- set carried = partition_by + (passthrough | reject('in', partition_by) | list) %}
with

zscore_windows as (
    select
        {% for column in carried -%}
        {{ column }},
        {% endfor -%}
        cast({{ value_column }} as double) as zscore_value,
        cast(row_number() over (partition by {{ keys }} order by {{ date_column }}) - 1 as integer)
            as zscore_history_days,
        avg(cast({{ value_column }} as double)) over (
            partition by {{ keys }} order by {{ date_column }}
            rows between {{ window_days }} preceding and 1 preceding
        ) as zscore_mean,
        stddev_samp(cast({{ value_column }} as double)) over (
            partition by {{ keys }} order by {{ date_column }}
            rows between {{ window_days }} preceding and 1 preceding
        ) as zscore_stddev
    from {{ relation }}
)

select
    {% for column in carried -%}
    {{ column }},
    {% endfor -%}
    zscore_mean,
    zscore_stddev,
    (zscore_value - zscore_mean) / nullif(zscore_stddev, 0) as zscore,
    coalesce(
        zscore_history_days >= {{ cfg.min_history_days }}
        and abs((zscore_value - zscore_mean) / nullif(zscore_stddev, 0)) > cast({{ threshold }} as double),
        false
    ) as zscore_is_anomaly
from zscore_windows
{%- endmacro %}
