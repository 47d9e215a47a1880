-- Cost anomalies: one row per anomalous day of a series (level x scope x metric), with what was expected, how far
-- off it is, what it costs, since when, and which child dimensions explain it.
{%- set scope_columns = aoai_finops.anomaly_scope_columns() %}
{%- set root_cause_dimensions = ['ai_account', 'model', 'token_type', 'deployment_type', 'application'] %}

with anomalies as (
    select * from {{ ref('int_anomaly_series_scored') }}
    where is_anomaly
),

series_last_days as (
    select
        series_id,
        max(metric_date) as last_date
    from {{ ref('int_anomaly_series_scored') }}
    group by series_id
),

-- The episode (a run of outlier days in one direction) each series is in on its last day, if any: its anomalies
-- are ongoing.
ongoing_episodes as (
    select
        series_days.series_id,
        series_days.anomaly_direction,
        cast({{ dbt.dateadd('day', '1 - series_days.p2_run_day', 'series_days.metric_date') }} as date)
            as episode_start_date
    from {{ ref('int_anomaly_series_scored') }} as series_days
    inner join series_last_days
        on
            series_days.series_id = series_last_days.series_id
            and series_days.metric_date = series_last_days.last_date
    where series_days.is_outlier
),

root_causes as (
    select
        series_id,
        metric_date,
        {% for dimension in root_cause_dimensions + ['combination'] -%}
        max(case when dimension = '{{ dimension }}' then child_id end) as root_cause_{{ dimension }},
        max(case when dimension = '{{ dimension }}' then child_share end) as root_cause_{{ dimension }}_share
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('int_anomaly_root_causes') }}
    group by
        series_id,
        metric_date
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'anomalies.series_id', "'|'", 'cast(anomalies.metric_date as ' ~ dbt.type_string() ~ ')'
        ])) }} as anomaly_id,
        anomalies.metric_date as anomaly_date,
        anomalies.scope_level,
        anomalies.metric,
        anomalies.scope_id,
        anomalies.scope_name,
        {% for column in scope_columns -%}
        anomalies.{{ column }},
        {% endfor -%}
        anomalies.billing_currency,
        cast(anomalies.metric_value as double) as actual_value,
        cast(anomalies.expected_value as double) as expected_value,
        cast(anomalies.lower_bound as double) as lower_bound,
        cast(anomalies.upper_bound as double) as upper_bound,
        cast(anomalies.anomaly_score as double) as anomaly_score,
        anomalies.anomaly_direction as direction,
        cast(anomalies.cost_impact as double) as cost_impact,
        {{ aoai_finops.anomaly_severity('anomalies.cost_impact') }} as severity,
        anomalies.anomaly_first_date as first_anomaly_date,
        cast(anomalies.anomaly_run_day as integer) as anomaly_day,
        ongoing_episodes.series_id is not null as is_ongoing,
        case
            when anomalies.metric = 'cost_per_1m_tokens' then 'unit_price'
            when anomalies.metric = 'tokens' then 'usage'
            when abs(anomalies.price_effect_cost) > abs(anomalies.cost_impact - anomalies.price_effect_cost)
                then 'unit_price'
            else 'usage'
        end as likely_cause,
        cast(anomalies.price_effect_cost as double) as price_effect_cost,
        root_causes.root_cause_combination as root_cause,
        cast(root_causes.root_cause_combination_share as double) as root_cause_share,
        {% for dimension in root_cause_dimensions -%}
        root_causes.root_cause_{{ dimension }},
        cast(root_causes.root_cause_{{ dimension }}_share as double) as root_cause_{{ dimension }}_share,
        {% endfor -%}
        cast(anomalies.history_days as integer) as history_days,
        anomalies.series_id
    from anomalies
    left join root_causes
        on anomalies.series_id = root_causes.series_id and anomalies.metric_date = root_causes.metric_date
    left join ongoing_episodes
        on
            anomalies.series_id = ongoing_episodes.series_id
            and anomalies.anomaly_direction = ongoing_episodes.anomaly_direction
            and anomalies.metric_date >= ongoing_episodes.episode_start_date
)

select * from final
