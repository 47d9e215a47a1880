-- Azure OpenAI token costs per day, AI account, model and token type: what each model costs, what a million
-- tokens cost, and what the price catalog says they should have cost. Token meters the classifier cannot read
-- stay here as model 'unclassified' (unpriced). Incremental by billing month (docs/incremental.md).
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at', 'seeds_checksum')
) }}
{%- set dimensions = [
    'billing_month', 'charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'model_name',
    'model_version', 'deployment_type', 'token_type', 'is_batch', 'is_priority', 'pricing_category',
    'billing_currency',
] %}
{#- Names of each day's accounts, resources and models, looked up by entity (macros/entity_attributes.sql); within
    the billing month, so a month rebuilt alone gets the names a full build gives it. -#}
{%- set entities = {
    'billing_accounts': (['billing_month', 'charge_date', 'billing_account_id'], ['billing_account_name']),
    'sub_accounts': (['billing_month', 'charge_date', 'sub_account_id'], ['sub_account_name']),
    'resources': (
        ['billing_month', 'charge_date', 'resource_id'], ['resource_name', 'resource_group_name', 'region_id']
    ),
    'models': (['billing_month', 'charge_date', 'model_name'], ['model_family']),
} %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
    where {{ aoai_finops.billing_month_filter('billing_month', 'billing_month_ingested_at', 'seeds_checksum') }}
),

labelled as {{ aoai_finops.inline_cte() }} (
    select
        billing_month,
        billing_month_ingested_at,
        seeds_checksum,
        charge_date,
        billing_account_id,
        billing_account_name,
        sub_account_id,
        sub_account_name,
        resource_id,
        resource_name,
        resource_group_name,
        region_id,
        coalesce(model_family, 'unclassified') as model_family,
        coalesce(model_id, 'unclassified') as model_name,
        coalesce(model_version, 'unspecified') as model_version,
        coalesce(deployment_type, 'unclassified') as deployment_type,
        coalesce(token_type, 'unclassified') as token_type,
        coalesce(is_batch, false) as is_batch,
        coalesce(is_priority, false) as is_priority,
        coalesce(pricing_category, 'Standard') as pricing_category,
        billing_currency,
        is_classified,
        tokens,
        billed_cost,
        effective_cost,
        list_cost,
        contracted_cost,
        has_catalog_price,
        expected_list_cost,
        -- the lowest confidence of the prices used wins: 1 low, 2 medium, 3 high
        case catalog_price_confidence when 'low' then 1 when 'medium' then 2 when 'high' then 3 end
            as catalog_confidence_rank
    from priced_rows
),

daily as (
    select
        {{ dimensions | join(',\n        ') }},
        -- one checksum per billing month (a month is built in one statement): a key, not a string state
        seeds_checksum,
        bool_and(is_classified) as is_classified,
        count(*) as cost_row_count,
        sum(tokens) as tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        bool_and(has_catalog_price and expected_list_cost is not null) as has_catalog_price,
        sum(expected_list_cost) as priced_expected_list_cost,
        min(catalog_confidence_rank) as catalog_confidence_rank,
        max(billing_month_ingested_at) as billing_month_ingested_at
    from labelled
    group by
        {{ dimensions | join(',\n        ') }},
        seeds_checksum
),
{%- for entity, (keys, attributes) in entities.items() %}

{{ entity }} as (
    {{- aoai_finops.entity_attributes('labelled', keys, attributes) }}
),
{%- endfor %}

compared as (
    select
        daily.*,
        {%- for entity, (_, attributes) in entities.items() %}
        {%- for attribute in attributes %}
        {{ entity }}.{{ attribute }},
        {%- endfor %}
        {%- endfor %}
        case when daily.has_catalog_price then daily.priced_expected_list_cost end as expected_list_cost
    from daily
    left join billing_accounts
        on {{ aoai_finops.entity_attributes_join('daily', 'billing_accounts', entities.billing_accounts[0]) }}
    left join sub_accounts
        on {{ aoai_finops.entity_attributes_join('daily', 'sub_accounts', entities.sub_accounts[0]) }}
    left join resources
        on {{ aoai_finops.entity_attributes_join('daily', 'resources', entities.resources[0]) }}
    left join models
        on {{ aoai_finops.entity_attributes_join('daily', 'models', entities.models[0]) }}
),

final as (
    select
        {{ dimensions | join(',\n        ') }},
        billing_account_name,
        sub_account_name,
        resource_name,
        resource_group_name,
        region_id,
        model_family,
        is_classified,
        cast(cost_row_count as bigint) as cost_row_count,
        cast(tokens as double) as tokens,
        cast(billed_cost as double) as billed_cost,
        cast(effective_cost as double) as effective_cost,
        cast(list_cost as double) as list_cost,
        cast(contracted_cost as double) as contracted_cost,
        cast(effective_cost / nullif(tokens, 0) * 1000000 as double) as effective_cost_per_1m_tokens,
        cast(list_cost / nullif(tokens, 0) * 1000000 as double) as list_price_per_1m_tokens,
        cast(billed_cost / nullif(tokens, 0) * 1000000 as double) as billed_cost_per_1m_tokens,
        has_catalog_price,
        cast(case catalog_confidence_rank when 1 then 'low' when 2 then 'medium' when 3 then 'high' end as string)
            as catalog_price_confidence,
        cast(expected_list_cost / nullif(tokens, 0) * 1000000 as double) as catalog_price_per_1m_tokens,
        cast(expected_list_cost as double) as expected_list_cost,
        cast(list_cost - expected_list_cost as double) as list_cost_variance,
        cast((list_cost - expected_list_cost) / nullif(expected_list_cost, 0) as double) as list_cost_variance_ratio,
        cast(effective_cost - expected_list_cost as double) as effective_cost_variance,
        cast(1 - effective_cost / nullif(expected_list_cost, 0) as double) as effective_discount_rate,
        cast(1 - effective_cost / nullif(list_cost, 0) as double) as billed_list_discount_rate,
        cast(billing_month_ingested_at as timestamp) as billing_month_ingested_at,
        cast(seeds_checksum as string) as seeds_checksum
    from compared
)

select * from final
