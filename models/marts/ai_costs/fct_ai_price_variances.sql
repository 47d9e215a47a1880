-- Where the bill disagrees with the price catalog: one row per finding. Two checks:
--
-- 1. Unit prices, per AI account x meter x day (the grain Azure bills at): the bill's list price against the
--    catalog (price_change_not_in_catalog), no catalog price at all (missing_catalog_entry), and, when the list
--    price agrees, the effective price against the catalog less the expected discount (unexpected_discount,
--    billed_above_expected). A deviation counts when it is beyond var('ai_price_variance_tolerance') of the
--    catalog and worth at least var('ai_price_variance_min_amount').
-- 2. Cached input billed twice (cached_input_double_billed), from the bill alone, per AI account x model x
--    deployment type x day: a double-billed day shows the full-price input meter grown by exactly the cached
--    tokens. Against the pair's usual cached share of prompts and output per prompt (medians over the loaded
--    days), both shares then drop by ln(1 + cached / input); the score is how much better "input includes the
--    cached tokens" explains the day than "input is as billed", in units of the pair's usual day-to-day spread.
--    docs/price-catalog.md has the method and its limits.
-- Both read sums stored by charge month (int_ai_meter_days_aggregated, int_ai_deployment_days_aggregated), so a daily
-- build sums only the months it changed; the checks run over every day, as the baselines need them all.
{%- set tolerance = 'cast(' ~ var('ai_price_variance_tolerance') ~ ' as double)' %}
{%- set min_amount = 'cast(' ~ var('ai_price_variance_min_amount') ~ ' as double)' %}
{%- set expected_discount = 'cast(' ~ var('ai_expected_discount_rate') ~ ' as double)' %}
{%- set min_score = 'cast(' ~ var('ai_double_billing_min_score') ~ ' as double)' %}
{%- set min_baseline_days = var('ai_double_billing_min_baseline_days') %}
{#- Spreads are never taken below 2%: a very steady pair would otherwise turn rounding noise into evidence. #}
{%- set min_spread = 'cast(0.02 as double)' %}
{%- set meter_day = aoai_finops.ai_price_variance_grain('meter_day') %}
{%- set deployment_day = aoai_finops.ai_price_variance_grain('deployment_day') %}
{%- set pair = 'partition by resource_id, model_id, model_version, deployment_type, is_batch, is_priority,'
    ~ ' token_modality, long_context_tier, billing_currency' %}

with priced_rows as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('int_ai_token_costs_priced') }}
),

meter_days as (
    select
        {{ meter_day | join(',\n        ') }},
        is_classified,
        is_batch,
        is_priority,
        tokens,
        billed_cost,
        effective_cost,
        list_cost,
        has_catalog_price,
        expected_list_cost
    from {{ ref('int_ai_meter_days_aggregated') }}
),

expectations as (
    select
        *,
        expected_list_cost * (1 - {{ expected_discount }}) as expected_effective_cost
    from meter_days
    where tokens <> 0 or billed_cost <> 0 or effective_cost <> 0
),

price_checks as (
    select
        *,
        case
            when not has_catalog_price then 'missing_catalog_entry'
            when
                abs(list_cost - expected_list_cost) > {{ tolerance }} * abs(expected_list_cost)
                and abs(list_cost - expected_list_cost) >= {{ min_amount }}
                then 'price_change_not_in_catalog'
            -- usage a commitment covers is discounted by design
            when coalesce(pricing_category, '') = 'Committed' then null
            when
                expected_effective_cost - effective_cost > {{ tolerance }} * abs(expected_effective_cost)
                and expected_effective_cost - effective_cost >= {{ min_amount }}
                then 'unexpected_discount'
            when
                effective_cost - expected_effective_cost > {{ tolerance }} * abs(expected_effective_cost)
                and effective_cost - expected_effective_cost >= {{ min_amount }}
                then 'billed_above_expected'
        end as variance_reason
    from expectations
),

price_findings as (
    select * from price_checks
    where variance_reason is not null
),

-- Names and model of a finding's meter-day, looked up once the findings are known: as max() over all meter-days,
-- they held a string state per group (macros/entity_attributes.sql).
price_finding_rows as (
    select priced_rows.*
    from priced_rows
    inner join price_findings
        on
            {{ aoai_finops.entity_attributes_join('priced_rows', 'price_findings', meter_day) }}
),

price_finding_attributes as (
    {{ aoai_finops.entity_attributes('price_finding_rows', meter_day, [
        'sub_account_name', 'resource_name', 'model_id', 'model_version', 'deployment_type', 'token_type',
    ]) }}
),

named_price_findings as (
    select
        price_findings.*,
        attributes.sub_account_name,
        attributes.resource_name,
        attributes.model_id,
        attributes.model_version,
        attributes.deployment_type,
        attributes.token_type
    from price_findings
    inner join price_finding_attributes as attributes
        on
            {{ aoai_finops.entity_attributes_join('price_findings', 'attributes', meter_day) }}
),

price_variances as (
    select
        variance_reason,
        charge_date,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        meter_id,
        meter_name,
        is_classified,
        model_id,
        model_version,
        deployment_type,
        token_type,
        is_batch,
        is_priority,
        pricing_category,
        billing_currency,
        tokens,
        billed_cost,
        effective_cost,
        list_cost,
        expected_list_cost,
        case
            when variance_reason = 'price_change_not_in_catalog'
                then list_cost / nullif(expected_list_cost, 0) - 1
            when variance_reason in ('unexpected_discount', 'billed_above_expected')
                then effective_cost / nullif(expected_effective_cost, 0) - 1
        end as price_deviation_ratio,
        case
            when variance_reason = 'price_change_not_in_catalog' then list_cost - expected_list_cost
            when variance_reason in ('unexpected_discount', 'billed_above_expected')
                then effective_cost - expected_effective_cost
        end as variance_amount,
        cast(null as double) as cached_input_tokens,
        cast(null as double) as baseline_cached_input_share,
        cast(null as double) as cached_input_share,
        cast(null as double) as double_billing_score
    from named_price_findings
),

pair_days as (
    select
        {{ deployment_day | join(',\n        ') }},
        input_tokens,
        cached_input_tokens,
        output_tokens,
        input_billed_cost,
        input_effective_cost,
        input_list_cost,
        input_expected_list_cost
    from {{ ref('int_ai_deployment_days_aggregated') }}
),

pair_features as (
    select
        *,
        cached_input_tokens / (input_tokens + cached_input_tokens) as cached_input_share,
        output_tokens / (input_tokens + cached_input_tokens) as output_per_prompt_token,
        -- how far both shares drop when the input meter also carries the cached tokens
        ln((input_tokens + cached_input_tokens) / input_tokens) as double_billing_shift
    from pair_days
    where input_tokens > 0 and cached_input_tokens > 0 and output_tokens > 0
),

pair_baselines as (
    select
        *,
        {{ aoai_finops.median('cached_input_share') }} over ({{ pair }}) as baseline_cached_input_share,
        {{ aoai_finops.median('output_per_prompt_token') }} over ({{ pair }}) as baseline_output_per_prompt_token,
        count(*) over ({{ pair }}) as baseline_days
    from pair_features
),

pair_deviations as (
    select
        *,
        ln(cached_input_share / baseline_cached_input_share) as cached_share_deviation,
        ln(output_per_prompt_token / baseline_output_per_prompt_token) as output_share_deviation
    from pair_baselines
),

pair_spreads as (
    select
        *,
        greatest(
            1.4826 * {{ aoai_finops.median('abs(cached_share_deviation)') }} over ({{ pair }}), {{ min_spread }}
        ) as cached_share_spread,
        greatest(
            1.4826 * {{ aoai_finops.median('abs(output_share_deviation)') }} over ({{ pair }}), {{ min_spread }}
        ) as output_share_spread
    from pair_deviations
),

pair_scores as (
    select
        *,
        (
            power(cached_share_deviation, 2) - power(cached_share_deviation + double_billing_shift, 2)
        ) / power(cached_share_spread, 2)
        + (
            power(output_share_deviation, 2) - power(output_share_deviation + double_billing_shift, 2)
        ) / power(output_share_spread, 2) as double_billing_score,
        -- the cached tokens also billed at the input meter's price
        cached_input_tokens * input_effective_cost / input_tokens as double_billed_amount
    from pair_spreads
),

double_billing_findings as (
    select *
    from pair_scores
    where
        baseline_days >= {{ min_baseline_days }}
        and double_billing_score >= {{ min_score }}
        and cached_share_deviation < 0
        and output_share_deviation < 0
        and double_billed_amount >= {{ min_amount }}
),

-- The token rows of the findings' days (the join on model_id keeps classified models only). Unclassified rows are
-- left out in the aggregates below, not filtered here: a filter on the token rows made DuckDB guess them fewer than
-- the findings and hash all 17 million of them for a handful of findings (23 s at 20M rows).
double_billing_rows as (
    select priced_rows.*
    from priced_rows
    inner join double_billing_findings
        on
            {{ aoai_finops.entity_attributes_join('priced_rows', 'double_billing_findings', deployment_day) }}
),

-- the input meter is the one billed twice
double_billing_attributes as (
    select
        {{ deployment_day | join(',\n        ') }},
        max(case when is_classified then sub_account_name end) as sub_account_name,
        max(case when is_classified then resource_name end) as resource_name,
        max(case when is_classified then pricing_category end) as pricing_category,
        min(case when is_classified and token_type = 'input' then meter_id end) as meter_id,
        min(case when is_classified and token_type = 'input' then meter_name end) as meter_name
    from double_billing_rows
    group by
        {{ deployment_day | join(',\n        ') }}
),

named_double_billing_findings as (
    select
        double_billing_findings.*,
        attributes.sub_account_name,
        attributes.resource_name,
        attributes.pricing_category,
        attributes.meter_id,
        attributes.meter_name
    from double_billing_findings
    inner join double_billing_attributes as attributes
        on
            {{ aoai_finops.entity_attributes_join('double_billing_findings', 'attributes', deployment_day) }}
),

double_billing_variances as (
    select
        'cached_input_double_billed' as variance_reason,
        charge_date,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        meter_id,
        meter_name,
        true as is_classified,
        model_id,
        model_version,
        deployment_type,
        'input' as token_type,
        is_batch,
        is_priority,
        pricing_category,
        billing_currency,
        input_tokens as tokens,
        input_billed_cost as billed_cost,
        input_effective_cost as effective_cost,
        input_list_cost as list_cost,
        input_expected_list_cost as expected_list_cost,
        cast(null as double) as price_deviation_ratio,
        double_billed_amount as variance_amount,
        cached_input_tokens,
        baseline_cached_input_share,
        cached_input_share,
        double_billing_score
    from named_double_billing_findings
),

variances as (
    select * from price_variances
    union all
    select * from double_billing_variances
),

final as (
    select
        {{ aoai_finops.surrogate_key([
            'variance_reason', 'charge_date', 'resource_id', 'meter_id', 'pricing_category', 'billing_currency',
        ]) }} as variance_key,
        cast(variance_reason as string) as variance_reason,
        cast(charge_date as date) as charge_date,
        cast(billing_account_id as string) as billing_account_id,
        cast(sub_account_id as string) as sub_account_id,
        cast(sub_account_name as string) as sub_account_name,
        cast(resource_id as string) as resource_id,
        cast(resource_name as string) as resource_name,
        cast(meter_id as string) as meter_id,
        cast(meter_name as string) as meter_name,
        cast(is_classified as boolean) as is_classified,
        cast(coalesce(model_id, 'unclassified') as string) as model_name,
        cast(coalesce(model_version, 'unspecified') as string) as model_version,
        cast(coalesce(deployment_type, 'unclassified') as string) as deployment_type,
        cast(coalesce(token_type, 'unclassified') as string) as token_type,
        cast(coalesce(is_batch, false) as boolean) as is_batch,
        cast(coalesce(is_priority, false) as boolean) as is_priority,
        cast(coalesce(pricing_category, 'Standard') as string) as pricing_category,
        cast(billing_currency as string) as billing_currency,
        cast(tokens as double) as tokens,
        cast(billed_cost as double) as billed_cost,
        cast(effective_cost as double) as effective_cost,
        cast(list_cost as double) as list_cost,
        cast(expected_list_cost as double) as expected_list_cost,
        cast(expected_list_cost / nullif(tokens, 0) * 1000000 as double) as catalog_price_per_1m_tokens,
        cast(list_cost / nullif(tokens, 0) * 1000000 as double) as list_price_per_1m_tokens,
        cast(effective_cost / nullif(tokens, 0) * 1000000 as double) as effective_cost_per_1m_tokens,
        cast(price_deviation_ratio as double) as price_deviation_ratio,
        cast(variance_amount as double) as variance_amount,
        cast(cached_input_tokens as double) as cached_input_tokens,
        cast(cached_input_share as double) as cached_input_share,
        cast(baseline_cached_input_share as double) as baseline_cached_input_share,
        cast(double_billing_score as double) as double_billing_score,
        {{ tolerance }} as price_tolerance
    from variances
)

select * from final
