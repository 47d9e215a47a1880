-- The daily series the anomaly detector watches: one row per level x scope x metric x day, every day from the
-- scope's first day with cost or tokens to the last day of data (a day without cost is a 0, not a gap). Levels
-- and metrics come from anomaly_levels() (macros/anomalies/anomaly_levels.sql). The days of the levels read from the
-- AI charges are summed and stored by month in int_anomaly_scope_days_aggregated; the allocation levels are summed
-- here.
{{ config(materialized='table') }}
{%- set levels = aoai_finops.anomaly_levels() %}
{%- set scope_columns = aoai_finops.anomaly_scope_columns() %}
{%- set window_days = aoai_finops.anomaly_config().window_days %}
{%- set metrics = ['effective_cost', 'tokens', 'cost_per_1m_tokens'] %}
{#- The allocation levels are switched on by a var (a ref must be known when dbt parses, before the graph is):
    say so when the allocation mart is there but the var is off. -#}
{%- if execute and not var('anomaly_allocation_levels', false)
    and graph.nodes.values() | selectattr('name', 'equalto', 'fct_cost_allocation_daily') | list | length > 0 %}
    {%- do exceptions.warn('fct_cost_allocation_daily exists but the anomaly cost_center and application levels are '
        ~ 'off: set the var anomaly_allocation_levels to true (docs/anomalies.md)') %}
{%- endif %}

with
{%- for level in levels if level.source != 'ai_costs' %}
{{ level.name }}_daily as (
    {{ aoai_finops.anomaly_scope_days(level) | indent(4) }}
),
{% endfor %}

scopes_daily as (
    select
        scope_level,
        scope_key,
        {% for column in scope_columns -%}
        {{ column }},
        {% endfor -%}
        scope_id,
        scope_name,
        charge_date,
        effective_cost,
        committed_cost,
        tokens,
        price_effect_cost
    from {{ ref('int_anomaly_scope_days_aggregated') }}
    {%- for level in levels if level.source != 'ai_costs' %}
    union all
    select * from {{ level.name }}_daily
    {%- endfor %}
),

-- A scope's series starts on its first day with cost or tokens: earlier days are not zeros, the scope did not
-- exist yet (cold start is the detector's business).
scopes as (
    select
        scope_key,
        max(scope_level) as scope_level,
        {% for column in scope_columns -%}
        max({{ column }}) as {{ column }},
        {% endfor -%}
        max(scope_id) as scope_id,
        max(scope_name) as scope_name,
        min(case when effective_cost <> 0 or tokens <> 0 then charge_date end) as first_date
    from scopes_daily
    group by scope_key
    having min(case when effective_cost <> 0 or tokens <> 0 then charge_date end) is not null
),

-- The last day of data, for every scope: days after it are not loaded yet, not zeros.
data_bounds as (
    select
        min(charge_date) as first_date,
        max(charge_date) as last_date
    from {{ ref('int_ai_costs_daily_unioned') }}
),

spine as (
    {{ aoai_finops.date_spine_days(
        '(select first_date from data_bounds)',
        "(select cast(" ~ dbt.dateadd('day', 1, 'last_date') ~ " as date) from data_bounds)"
    ) | indent(4) }}
),

currencies as (
    select
        billing_account_id,
        max(billing_currency) as billing_currency
    from {{ ref('int_ai_costs_daily_unioned') }}
    group by billing_account_id
),

filled as (
    select
        scopes.scope_key,
        scopes.scope_level,
        {% for column in scope_columns -%}
        scopes.{{ column }},
        {% endfor -%}
        scopes.scope_id,
        scopes.scope_name,
        currencies.billing_currency,
        spine.date_day as metric_date,
        coalesce(daily.effective_cost, 0) as effective_cost,
        coalesce(daily.committed_cost, 0) as committed_cost,
        coalesce(daily.tokens, 0) as tokens,
        coalesce(daily.price_effect_cost, 0) as price_effect_cost
    from scopes
    inner join spine on scopes.first_date <= spine.date_day
    left join scopes_daily as daily
        on scopes.scope_key = daily.scope_key and spine.date_day = daily.charge_date
    left join currencies on scopes.billing_account_id = currencies.billing_account_id
),

-- What a token costs in this scope, usually: to put a currency impact on a token anomaly.
with_usual_cost_per_token as (
    select
        *,
        sum(effective_cost - committed_cost) over (
            partition by scope_key order by metric_date rows between {{ window_days }} preceding and 1 preceding
        ) / nullif(sum(tokens) over (
            partition by scope_key order by metric_date rows between {{ window_days }} preceding and 1 preceding
        ), 0) as usual_cost_per_token
    from filled
),

series as (
    {%- for metric in metrics %}
    {%- set metric_levels = [] %}
    {%- for level in levels if metric in level.metrics %}{% do metric_levels.append(level.name) %}{% endfor %}
    {%- if metric_levels %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        *,
        '{{ metric }}' as metric,
        {%- if metric == 'effective_cost' %}
        effective_cost as metric_value,
        committed_cost as fixed_value,
        cast(1 as double) as impact_per_unit
        {%- elif metric == 'tokens' %}
        tokens as metric_value,
        cast(0 as double) as fixed_value,
        coalesce(usual_cost_per_token, (effective_cost - committed_cost) / nullif(tokens, 0), 0) as impact_per_unit
        {%- else %}
        (effective_cost - committed_cost) / nullif(tokens, 0) * 1000000 as metric_value,
        cast(0 as double) as fixed_value,
        tokens / 1000000 as impact_per_unit
        {%- endif %}
    from with_usual_cost_per_token
    where
        scope_level in (
            '{{ metric_levels | join("', '") }}'
        )
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.hash(dbt.concat(['scope_key', "'|'", 'metric'])) }} as series_id,
        scope_key,
        scope_level,
        metric,
        {% for column in scope_columns -%}
        {{ column }},
        {% endfor -%}
        scope_id,
        scope_name,
        billing_currency,
        metric_date,
        {{ aoai_finops.month_string('metric_date') }} as billing_month,
        cast(metric_value as double) as metric_value,
        cast(fixed_value as double) as fixed_value,
        cast(impact_per_unit as double) as impact_per_unit,
        cast(effective_cost as double) as effective_cost,
        cast(committed_cost as double) as committed_cost,
        cast(tokens as double) as tokens,
        cast(price_effect_cost as double) as price_effect_cost
    from series
)

select * from final
