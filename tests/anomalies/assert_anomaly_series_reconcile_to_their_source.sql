-- Nothing lost, nothing counted twice: every level's series add up to their source (cost and tokens, to the cent),
-- and the AI costs the series start from add up to the Azure OpenAI rows of focus_costs. Fails with the level
-- and the two totals.
{%- set levels = aoai_finops.anomaly_levels() %}
{%- set sources = aoai_finops.anomaly_sources() %}

with series_totals as (
    select
        scope_level,
        sum(effective_cost) as effective_cost,
        sum(tokens) as tokens
    from {{ ref('int_anomaly_series_daily') }}
    where metric = case when scope_level = 'price_point' then 'cost_per_1m_tokens' else 'effective_cost' end
    group by scope_level
),

source_totals as (
    {%- for level in levels %}
    {%- set source = sources[level.source] %}
    select
        '{{ level.name }}' as scope_level,
        sum({{ source.effective_cost }}) as effective_cost,
        sum({{ source.tokens }}) as tokens
    from {{ ref(source.model) }}
    {%- if level.where %}
    where {{ level.where }}
    {%- endif %}
    union all
    {%- endfor %}
    select
        'focus_costs (Azure OpenAI rows)' as scope_level,
        sum(EffectiveCost) as effective_cost,
        cast(null as double) as tokens
    from {{ ref('focus_costs') }}
    where x_AiIsAiMeter
),

compared as (
    select
        source_totals.scope_level,
        source_totals.effective_cost as source_effective_cost,
        -- a level without any series compares as 0, so losing all of it fails; focus_costs' row is compared with
        -- the AI costs the series start from
        case
            when source_totals.scope_level = 'focus_costs (Azure OpenAI rows)'
                then (select sum(ai_costs.effective_cost) from {{ ref('int_ai_costs_daily_unioned') }} as ai_costs)
            else series_totals.effective_cost
        end as series_effective_cost,
        source_totals.tokens as source_tokens,
        series_totals.tokens as series_tokens
    from source_totals
    left join series_totals on source_totals.scope_level = series_totals.scope_level
)

select * from compared
where
    abs(coalesce(source_effective_cost, 0) - coalesce(series_effective_cost, 0)) >= 0.005
    or abs(coalesce(source_tokens, 0) - coalesce(series_tokens, 0)) >= 0.5
