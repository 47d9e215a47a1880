-- Who used the tokens of each AI account, deployment and day, and their share of the account's tokens of that
-- model and direction: the basis of the `telemetry` allocation method.
--   * Azure Monitor counts every token of a deployment (InputTokens / OutputTokens when the account reports them,
--     else ProcessedPromptTokens / GeneratedTokens); a day whose data point is missing is a gap (is_gap).
--   * API Management counts the tokens of the applications routed through it, per APIM subscription, with the
--     Team / Application dimensions when the policy emits them.
--   * A deployment's tokens APIM did not see (direct callers) are the deployment owner's (allocation_deployments).
-- Keys come from the sources allocation_key_precedence orders; required keys no source knows make the target
-- unallocated, with the reason.
-- A table: Spark would otherwise re-plan the whole chain for every model and test that reads it.
{{ config(materialized='table') }}
{%- set grain = [
    'charge_date', 'resource_id', 'deployment_key', 'token_direction', 'attribution_source', 'apim_service',
    'apim_subscription_id', 'apim_product_id', 'apim_user_id', 'team', 'application',
] %}

with monitor as (
    select
        cast(metric_timestamp as date) as charge_date,
        lower(resource_id) as resource_id,
        lower(resource_name) as account_name,
        lower(deployment_name) as deployment_key,
        deployment_name,
        lower(model_name) as model_name,
        metric_name,
        total
    from {{ ref('stg_telemetry__azure_monitor_metrics') }}
    where
        metric_name in ('InputTokens', 'OutputTokens', 'ProcessedPromptTokens', 'GeneratedTokens')
        and deployment_name is not null
),

monitor_metric_days as (
    -- Per direction, InputTokens / OutputTokens (newer accounts) come first, ProcessedPromptTokens /
    -- GeneratedTokens second; an account reporting both must not be counted twice.
    select
        charge_date,
        resource_id,
        deployment_key,
        case when metric_name in ('InputTokens', 'ProcessedPromptTokens') then 'input' else 'output' end
            as token_direction,
        case when metric_name in ('InputTokens', 'OutputTokens') then 1 else 2 end as metric_generation,
        max(account_name) as account_name,
        max(deployment_name) as deployment_name,
        max(model_name) as model_name,
        sum(total) as monitor_tokens,
        sum(case when total is null then 0 else 1 end) as points,
        sum(case when total is null then 1 else 0 end) as missing_points
    from monitor
    group by
        charge_date,
        resource_id,
        deployment_key,
        case when metric_name in ('InputTokens', 'ProcessedPromptTokens') then 'input' else 'output' end,
        case when metric_name in ('InputTokens', 'OutputTokens') then 1 else 2 end
),

monitor_directions as (
    -- A day whose points carry no value is a gap, and so is a day with some points missing.
    select
        charge_date,
        resource_id,
        account_name,
        deployment_key,
        deployment_name,
        model_name,
        token_direction,
        coalesce(monitor_tokens, 0) as monitor_tokens,
        missing_points > 0 as is_gap
    from (
        select
            *,
            row_number() over (
                partition by charge_date, resource_id, deployment_key, token_direction
                order by case when points > 0 then 0 else 1 end asc, metric_generation asc
            ) as metric_rank
        from monitor_metric_days
    ) as ranked
    where metric_rank = 1
),

account_names as (
    -- APIM names the account (Backend ID); Azure Monitor and the bill know its resource id.
    select
        account_name,
        min(resource_id) as resource_id
    from (
        select distinct
            account_name,
            resource_id
        from monitor
        union all
        select distinct
            account_name,
            resource_id
        from {{ ref('int_allocation_cost_rows') }}
        where account_name is not null
    ) as named
    group by account_name
),

deployment_models as (
    select
        resource_id,
        deployment_key,
        max(model_name) as model_name
    from monitor
    group by resource_id, deployment_key
),

apim as (
    select
        cast(apim.metric_timestamp as date) as charge_date,
        account_names.resource_id,
        lower(apim.backend_id) as account_name,
        lower(apim.deployment_name) as deployment_key,
        apim.deployment_name,
        case apim.metric_name when 'Prompt Tokens' then 'input' else 'output' end as token_direction,
        apim.apim_service,
        apim.apim_subscription_id,
        apim.apim_product_id,
        apim.apim_user_id,
        nullif(trim(apim.team), '') as team,
        nullif(trim(apim.application), '') as application,
        apim.value_sum
    from {{ ref('stg_telemetry__apim_token_metrics') }} as apim
    inner join account_names on lower(apim.backend_id) = account_names.account_name
    where apim.metric_name in ('Prompt Tokens', 'Completion Tokens') and apim.deployment_name is not null
),

apim_daily as (
    select
        charge_date,
        resource_id,
        account_name,
        deployment_key,
        token_direction,
        apim_service,
        apim_subscription_id,
        apim_product_id,
        apim_user_id,
        team,
        application,
        max(deployment_name) as deployment_name,
        sum(value_sum) as tokens
    from apim
    group by
        charge_date, resource_id, account_name, deployment_key, token_direction, apim_service,
        apim_subscription_id, apim_product_id, apim_user_id, team, application
),

apim_deployment_totals as (
    select
        charge_date,
        resource_id,
        deployment_key,
        token_direction,
        sum(tokens) as apim_tokens
    from apim_daily
    group by charge_date, resource_id, deployment_key, token_direction
),

deployment_days as (
    select
        monitor_directions.*,
        coalesce(apim_deployment_totals.apim_tokens, 0) as apim_tokens
    from monitor_directions
    left join apim_deployment_totals
        on
            monitor_directions.charge_date = apim_deployment_totals.charge_date
            and monitor_directions.resource_id = apim_deployment_totals.resource_id
            and monitor_directions.deployment_key = apim_deployment_totals.deployment_key
            and monitor_directions.token_direction = apim_deployment_totals.token_direction
),

targets as (
    -- Tokens APIM saw, per APIM subscription / product / user / team / application.
    select
        apim_daily.charge_date,
        apim_daily.resource_id,
        apim_daily.account_name,
        apim_daily.deployment_key,
        apim_daily.deployment_name,
        coalesce(deployment_days.model_name, deployment_models.model_name, 'unknown') as model_name,
        apim_daily.token_direction,
        'apim' as attribution_source,
        apim_daily.apim_service,
        apim_daily.apim_subscription_id,
        apim_daily.apim_product_id,
        apim_daily.apim_user_id,
        apim_daily.team,
        apim_daily.application,
        coalesce(deployment_days.is_gap, false) as is_gap,
        apim_daily.tokens
    from apim_daily
    left join deployment_days
        on
            apim_daily.charge_date = deployment_days.charge_date
            and apim_daily.resource_id = deployment_days.resource_id
            and apim_daily.deployment_key = deployment_days.deployment_key
            and apim_daily.token_direction = deployment_days.token_direction
    left join deployment_models
        on
            apim_daily.resource_id = deployment_models.resource_id
            and apim_daily.deployment_key = deployment_models.deployment_key
    union all
    -- The rest of the deployment's tokens: callers APIM did not see. Kept on gap days (no tokens) so the gap
    -- reaches the allocation.
    select
        charge_date,
        resource_id,
        account_name,
        deployment_key,
        deployment_name,
        model_name,
        token_direction,
        'azure_monitor' as attribution_source,
        cast(null as string) as apim_service,
        cast(null as string) as apim_subscription_id,
        cast(null as string) as apim_product_id,
        cast(null as string) as apim_user_id,
        cast(null as string) as team,
        cast(null as string) as application,
        is_gap,
        greatest(monitor_tokens - apim_tokens, 0) as tokens
    from deployment_days
    where monitor_tokens > apim_tokens or is_gap
),

identified as (
    select
        *,
        {{ aoai_finops.surrogate_key(grain) }} as target_key,
        sum(tokens) over (partition by charge_date, resource_id, model_name, token_direction)
            as model_direction_tokens
    from targets
),

precedence as (
    select * from {{ ref('allocation_key_precedence') }}
),

apim_subscription_keys as (
    {{ aoai_finops.unpivot_allocation_keys(ref('allocation_apim_subscriptions'),
                                           ['apim_service', 'apim_subscription_id'], 'apim_subscription') }}
),

deployment_keys as (
    {{ aoai_finops.unpivot_allocation_keys(ref('allocation_deployments'),
                                           ['account', 'deployment_name'], 'deployment') }}
),

resource_keys as (
    select * from {{ ref('int_allocation_resource_keys') }}
),

candidates as (
    select
        identified.target_key,
        precedence.allocation_key,
        precedence.precedence,
        apim_subscription_keys.key_value
    from identified
    inner join apim_subscription_keys
        on
            identified.apim_subscription_id = apim_subscription_keys.apim_subscription_id
            and (
                apim_subscription_keys.apim_service is null
                or lower(identified.apim_service) = lower(apim_subscription_keys.apim_service)
            )
    -- a row naming the service wins over a row for any service, key by key
    left join apim_subscription_keys as service_keys
        on
            apim_subscription_keys.apim_service is null
            and identified.apim_subscription_id = service_keys.apim_subscription_id
            and lower(identified.apim_service) = lower(service_keys.apim_service)
            and apim_subscription_keys.allocation_key = service_keys.allocation_key
    inner join precedence
        on
            precedence.key_source = 'apim_subscription'
            and apim_subscription_keys.allocation_key = precedence.allocation_key
    where service_keys.allocation_key is null
    union all
    select
        identified.target_key,
        precedence.allocation_key,
        precedence.precedence,
        case precedence.source_key
            when 'team' then identified.team
            when 'application' then identified.application
        end as key_value
    from identified
    inner join precedence on precedence.key_source = 'apim_dimension'
    union all
    select
        identified.target_key,
        precedence.allocation_key,
        precedence.precedence,
        deployment_keys.key_value
    from identified
    inner join deployment_keys
        on
            identified.account_name = lower(trim(deployment_keys.account))
            and identified.deployment_key = lower(trim(deployment_keys.deployment_name))
    inner join precedence
        on
            precedence.key_source = 'deployment'
            and deployment_keys.allocation_key = precedence.allocation_key
    {%- for key in aoai_finops.allocation_keys() %}
    union all
    select
        identified.target_key,
        '{{ key }}' as allocation_key,
        resource_keys.{{ key }}_precedence as precedence,
        resource_keys.{{ key }} as key_value
    from identified
    inner join resource_keys
        on
            identified.resource_id = resource_keys.resource_id
            and identified.charge_date = resource_keys.charge_date
    {%- endfor %}
),

picked as (
    {{ aoai_finops.pick_allocation_keys('candidates', ['target_key']) }}
),

deployment_skus as (
    select
        lower(trim(deployments.account)) as account_name,
        lower(trim(deployments.deployment_name)) as deployment_key,
        deployments.sku_name,
        skus.deployment_type,
        skus.is_batch,
        skus.is_provisioned
    from {{ ref('allocation_deployments') }} as deployments
    left join {{ ref('allocation_deployment_skus') }} as skus
        on lower(trim(deployments.sku_name)) = lower(skus.sku_name)
),

final as (
    select
        identified.target_key,
        identified.charge_date,
        identified.resource_id,
        identified.account_name,
        identified.model_name,
        identified.token_direction,
        identified.deployment_name,
        deployment_skus.sku_name,
        deployment_skus.deployment_type,
        deployment_skus.is_batch,
        deployment_skus.is_provisioned,
        identified.attribution_source,
        identified.apim_service,
        identified.apim_subscription_id,
        identified.apim_product_id,
        identified.apim_user_id,
        {%- for key in aoai_finops.allocation_keys() %}
        picked.{{ key }},
        {%- endfor %}
        case
            {%- for key in aoai_finops.required_allocation_keys() %}
            when picked.{{ key }} is null and identified.attribution_source = 'apim'
                then 'apim_subscription_without_{{ key }}'
            when picked.{{ key }} is null then 'deployment_without_{{ key }}'
            {%- endfor %}
        end as unallocated_reason,
        identified.is_gap,
        cast(identified.tokens as double) as tokens,
        cast(identified.tokens / nullif(identified.model_direction_tokens, 0) as double) as share_of_model_tokens
    from identified
    left join picked on identified.target_key = picked.target_key
    left join deployment_skus
        on
            identified.account_name = deployment_skus.account_name
            and identified.deployment_key = deployment_skus.deployment_key
)

select * from final
