-- Root cause of each anomaly: for every child dimension (AI account, model, token type, deployment type, and
-- application once allocation exists), the child that explains most of the change, with its share of it. A
-- child's change is its value on the anomaly day minus its median on the same weekday of the previous weeks
-- (the window's weeks, those the series has: a series younger than the window has fewer); its share is that change
-- over the sum of all children's changes in the dimension.
-- `combination` is the finest grain (account / model / token type / deployment type) that explains the most.
-- Cost anomalies are explained by cost, token anomalies by tokens, unit cost anomalies by price effect.
-- Incremental by the month of its anomaly days on int_anomaly_root_cause_months: a month is explained again when
-- the anomaly history up to it changed (a daily load explains the current month's anomalies, not the year's). Never
-- a view: its compiled SQL (one block per level and dimension) is longer than a Hive metastore keeps for one.
{%- set month_state = {
    'month_column': 'billing_month', 'fingerprint_column': 'history_fingerprint',
    'months_model': 'int_anomaly_root_cause_months',
} %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set sources = aoai_finops.anomaly_sources() %}
{%- set weeks = (aoai_finops.anomaly_config().window_days / 7) | int %}
{#- The earliest fact day the months explained read (their first day, the window's weeks back): the engine skips the
    facts of the months before it. -#}
{%- set first_day_read = none %}
{%- if plan.rebuild %}
    {%- set first_month = plan.rebuild[0].split('-') | map('int') | list %}
    {%- set first_day_read = (modules.datetime.date(first_month[0], first_month[1], 1)
        - modules.datetime.timedelta(days=7 * weeks)).isoformat() %}
{%- endif %}

{%- set scans = aoai_finops.anomaly_root_cause_scans(aoai_finops.anomaly_root_cause_plans()) %}

with anomalies as (
    select
        series_id,
        scope_key,
        scope_level,
        {% for column in aoai_finops.anomaly_scope_columns() -%}
        {{ column }} as scope_{{ column }},
        {% endfor -%}
        metric,
        metric_date,
        history_days,
        billing_month,
        anomaly_direction
    from {{ ref('int_anomaly_series_scored') }}
    where is_anomaly and {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

-- Each anomaly day (weeks_back 0) and the same weekday of the previous weeks the series has: days before its
-- first are not zeros, they would pull the medians of a new series toward 0 and blame its largest child.
anomaly_days as (
    {%- for k in range(weeks + 1) %}
    select
        *,
        {{ k }} as weeks_back,
        cast({{ dbt.dateadd('day', -7 * k, 'metric_date') }} as date) as child_date
    from anomalies
    {%- if k > 0 %}
    where history_days >= {{ 7 * k }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{% for scan in scans %}
{%- set source = sources[scan.source] %}
facts_{{ scan.name }} as (
    select
        anomaly_day.series_id,
        anomaly_day.metric_date,
        anomaly_day.weeks_back,
        {%- for plan in scan.plans %}
        cast({{ plan.child }} as {{ dbt.type_string() }}) as child_{{ plan.dimension }},
        {%- endfor %}
        sum(
            case anomaly_day.metric
                when 'effective_cost' then {{ source.effective_cost }}
                when 'tokens' then {{ source.tokens }}
                else {{ source.price_effect_cost }}
            end
        ) as fact_value
    from anomaly_days as anomaly_day
    inner join {{ ref(source.model) }} as facts
        on
            anomaly_day.child_date = facts.charge_date
            and {{ aoai_finops.anomaly_scope_join(scan.level, 'anomaly_day', 'facts') }}
    where
        anomaly_day.scope_level = '{{ scan.level.name }}'
        {%- if first_day_read %}
        and facts.charge_date >= cast({{ aoai_finops.sql_string_literal(first_day_read) }} as date)
        {%- endif %}
        {%- if scan.level.where and scan.source == scan.level.source %}
        and {{ scan.level.where }}
        {%- endif %}
    group by
        {%- for plan in scan.plans %}
        cast({{ plan.child }} as {{ dbt.type_string() }}),
        {%- endfor %}
        anomaly_day.series_id,
        anomaly_day.metric_date,
        anomaly_day.weeks_back
),
{% endfor %}

{% for scan in scans %}
{%- for plan in scan.plans %}
child_values_{{ scan.name }}__{{ plan.dimension }} as (
    select
        series_id,
        metric_date,
        weeks_back,
        '{{ plan.dimension }}' as dimension,
        child_{{ plan.dimension }} as child_id,
        sum(fact_value) as child_value
    from facts_{{ scan.name }}
    group by
        series_id,
        metric_date,
        weeks_back,
        child_{{ plan.dimension }}
),
{% endfor %}
{%- endfor %}

child_values as (
    {%- for scan in scans %}
    {%- set scan_loop = loop %}
    {%- for plan in scan.plans %}
    select * from child_values_{{ scan.name }}__{{ plan.dimension }}
    {%- if not (scan_loop.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

-- A child absent on a day had 0 that day.
children as (
    select distinct
        series_id,
        metric_date,
        dimension,
        child_id
    from child_values
),

anomaly_weeks as (
    select distinct
        series_id,
        metric_date,
        weeks_back
    from anomaly_days
),

child_changes as (
    select
        children.series_id,
        children.metric_date,
        children.dimension,
        children.child_id,
        sum(case when anomaly_weeks.weeks_back = 0 then coalesce(child_values.child_value, 0) else 0 end)
        - coalesce({{ aoai_finops.median(
            'case when anomaly_weeks.weeks_back > 0 then coalesce(child_values.child_value, 0) end'
        ) }}, 0) as child_change
    from children
    inner join anomaly_weeks
        on children.series_id = anomaly_weeks.series_id and children.metric_date = anomaly_weeks.metric_date
    left join child_values
        on
            children.series_id = child_values.series_id
            and children.metric_date = child_values.metric_date
            and children.dimension = child_values.dimension
            and children.child_id = child_values.child_id
            and anomaly_weeks.weeks_back = child_values.weeks_back
    group by
        children.series_id,
        children.metric_date,
        children.dimension,
        children.child_id
),

ranked as (
    select
        changes.*,
        anomalies.billing_month,
        sum(changes.child_change) over (
            partition by changes.series_id, changes.metric_date, changes.dimension
        ) as dimension_change,
        row_number() over (
            partition by changes.series_id, changes.metric_date, changes.dimension
            order by
                changes.child_change * case when anomalies.anomaly_direction = 'drop' then -1 else 1 end desc,
                changes.child_id
        ) as child_rank
    from child_changes as changes
    inner join anomalies
        on changes.series_id = anomalies.series_id and changes.metric_date = anomalies.metric_date
),

-- A left join: a row never goes missing; one without a fingerprint fails the not_null test of history_fingerprint.
final as (
    select
        ranked.series_id,
        ranked.metric_date,
        ranked.dimension,
        ranked.child_id,
        cast(ranked.child_change as double) as child_change,
        cast(ranked.child_change / nullif(ranked.dimension_change, 0) as double) as child_share,
        ranked.billing_month,
        history.fingerprint as history_fingerprint
    from ranked
    left join {{ ref('int_anomaly_root_cause_months') }} as history
        on ranked.billing_month = history.billing_month
    where ranked.child_rank = 1
)

select * from final
