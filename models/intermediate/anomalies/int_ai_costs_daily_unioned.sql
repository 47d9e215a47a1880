-- Every Azure OpenAI charge per day in one shape, the input of the anomaly series: token charges from
-- fct_ai_token_costs_daily, and the other AI charges (PTU hours, fine-tuning hosting, ...) from focus_costs, so the
-- account-level series carry the whole AI bill. Each row also says how much of its cost is commitment
-- amortization (known in advance) and how much is a price effect (tokens billed above or below their usual price).
-- Stored, not a view: the anomaly series read it per metric and the root causes once per level and dimension, and an
-- engine that inlines views (Spark) would recompute its price-effect windows for every read.
-- Incremental by the month of its days on int_ai_costs_daily_months: a month whose charges changed is rebuilt, and so
-- is every month after it (a day's usual price reads the days before it); writing every row again each build was
-- most of its cost at scale.
{%- set month_state = aoai_finops.ai_charge_month_state() %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set window_days = aoai_finops.anomaly_config().window_days %}
{%- set price_point = [
    'billing_account_id', 'region_id', 'model_name', 'model_version', 'deployment_type', 'token_type',
    'is_batch', 'is_priority', 'pricing_category',
] %}
{%- set columns = [
    'charge_date', 'billing_account_id', 'billing_account_name', 'sub_account_id', 'sub_account_name', 'resource_id',
    'resource_name', 'region_id', 'model_name', 'model_version', 'deployment_type', 'token_type', 'is_batch',
    'is_priority', 'pricing_category', 'billing_currency', 'is_token_charge', 'effective_cost', 'committed_cost',
    'tokens',
] %}

with token_charges as {{ aoai_finops.inline_cte() }} (
    select
        charge_date,
        billing_account_id,
        billing_account_name,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        region_id,
        model_name,
        model_version,
        deployment_type,
        token_type,
        is_batch,
        is_priority,
        pricing_category,
        billing_currency,
        true as is_token_charge,
        effective_cost,
        -- Token meters are pay-as-you-go: no commitment amortization lands on them.
        cast(0 as double) as committed_cost,
        -- Null for a meter the classifier cannot tell (its quantity may not be tokens): no tokens counted, its
        -- cost is kept in the cost series, and its unit cost is undefined (not scored).
        coalesce(tokens, 0) as tokens
    from {{ ref('fct_ai_token_costs_daily') }}
    where {{ aoai_finops.billing_months_in(aoai_finops.month_string('charge_date'), plan) }}
),

other_ai_charges as (
    select
        cast(ChargePeriodStart as date) as charge_date,
        BillingAccountId as billing_account_id,
        max(BillingAccountName) as billing_account_name,
        SubAccountId as sub_account_id,
        max(SubAccountName) as sub_account_name,
        ResourceId as resource_id,
        max(ResourceName) as resource_name,
        RegionId as region_id,
        -- Not a model: named after the charge kind, in parentheses, so it never looks like one.
        coalesce(x_AiModelId, '(' || coalesce(x_AiChargeKind, 'unclassified') || ')') as model_name,
        coalesce(x_AiModelVersion, 'unspecified') as model_version,
        coalesce(x_AiDeploymentType, 'unclassified') as deployment_type,
        '(' || coalesce(x_AiChargeKind, 'unclassified') || ')' as token_type,
        false as is_batch,
        false as is_priority,
        coalesce(PricingCategory, 'Standard') as pricing_category,
        BillingCurrency as billing_currency,
        false as is_token_charge,
        sum(EffectiveCost) as effective_cost,
        sum(
            case when CommitmentDiscountStatus in ('Used', 'Unused') then EffectiveCost else 0 end
        ) as committed_cost,
        cast(0 as double) as tokens
    from {{ ref('focus_costs') }}
    where
        {{ aoai_finops.other_ai_charges_filter() }}
        and {{ aoai_finops.billing_months_in(aoai_finops.month_string('cast(ChargePeriodStart as date)'), plan) }}
    group by
        cast(ChargePeriodStart as date),
        BillingAccountId,
        SubAccountId,
        ResourceId,
        RegionId,
        coalesce(x_AiModelId, '(' || coalesce(x_AiChargeKind, 'unclassified') || ')'),
        coalesce(x_AiModelVersion, 'unspecified'),
        coalesce(x_AiDeploymentType, 'unclassified'),
        '(' || coalesce(x_AiChargeKind, 'unclassified') || ')',
        coalesce(PricingCategory, 'Standard'),
        BillingCurrency
),

-- The unit price of each price point (one meter, in effect) per day, and its usual price: the median of its
-- daily prices over the last window_days days it was used, which may be in any month before.
price_points_daily as (
    select
        {{ price_point | join(',\n        ') }},
        charge_date,
        sum(effective_cost) / nullif(sum(coalesce(tokens, 0)), 0) as price_per_token
    from {{ ref('fct_ai_token_costs_daily') }}
    group by
        {{ price_point | join(',\n        ') }},
        charge_date
    having sum(coalesce(tokens, 0)) <> 0
),

usual_prices as (
    select
        {{ price_point | join(',\n        ') }},
        charge_date,
        {{ aoai_finops.median('price_per_token') }} over (
            partition by {{ price_point | join(', ') }}
            order by charge_date
            rows between {{ window_days }} preceding and 1 preceding
        ) as usual_price_per_token
    from price_points_daily
),

priced_token_charges as (
    select
        {% for column in columns -%}
        charges.{{ column }},
        {% endfor -%}
        prices.usual_price_per_token * 1000000 as usual_price_per_1m_tokens,
        coalesce(charges.effective_cost - charges.tokens * prices.usual_price_per_token, 0) as price_effect_cost
    from token_charges as charges
    left join usual_prices as prices
        on
            charges.charge_date = prices.charge_date
            {%- for column in price_point %}
            and charges.{{ column }} is not distinct from prices.{{ column }}
            {%- endfor %}
),

ai_charges as (
    select * from priced_token_charges
    union all
    select
        {% for column in columns -%}
        {{ column }},
        {% endfor -%}
        cast(null as double) as usual_price_per_1m_tokens,
        cast(0 as double) as price_effect_cost
    from other_ai_charges
)

{{ aoai_finops.ai_charge_month_stamped('ai_charges') }}
