-- Token unit economics per month, model, deployment type (with batch and priority), AI account, subscription
-- and cost center: what a million input, cached input and output tokens cost, the token mix behind a blended
-- price, and how it moved since the previous month. Costs are EffectiveCost (amortized, after discounts). The
-- cost center is the account's cost_center tag (int_resource_tags_normalized, its latest value); 'untagged'
-- without one. Token meters the classifier cannot read stay in as model 'unclassified', so the totals equal
-- fct_ai_token_costs_daily.
{#- Batch and priority processing are part of the deployment type: Azure sells them as GlobalBatch,
    DataZoneBatch and priority processing, at their own prices. #}
{%- set series = [
    'billing_account_id', 'sub_account_id', 'resource_id', 'model_name', 'deployment_type', 'is_batch',
    'is_priority', 'cost_center', 'billing_currency',
] %}
{%- set boolean_columns = ['is_batch', 'is_priority'] %}
{%- set token_types = ['input', 'cached_input', 'cache_write_input', 'output'] %}

with priced_rows as (
    select * from {{ ref('int_ai_token_costs_priced') }}
),

cost_centers as (
    select
        resource_id,
        tag_value as cost_center
    from {{ ref('int_resource_tags_normalized') }}
    where tag_key = 'cost_center'
),

labelled as (
    select
        cast({{ dbt.date_trunc('month', 'priced_rows.charge_date') }} as date) as charge_month,
        priced_rows.charge_date,
        priced_rows.billing_account_id,
        priced_rows.sub_account_id,
        priced_rows.sub_account_name,
        priced_rows.resource_id,
        priced_rows.resource_name,
        coalesce(priced_rows.model_family, 'unclassified') as model_family,
        coalesce(priced_rows.model_id, 'unclassified') as model_name,
        coalesce(priced_rows.deployment_type, 'unclassified') as deployment_type,
        coalesce(priced_rows.is_batch, false) as is_batch,
        coalesce(priced_rows.is_priority, false) as is_priority,
        coalesce(cost_centers.cost_center, 'untagged') as cost_center,
        priced_rows.billing_currency,
        priced_rows.is_classified,
        priced_rows.token_type,
        priced_rows.tokens,
        priced_rows.billed_cost,
        priced_rows.effective_cost,
        priced_rows.list_cost,
        priced_rows.has_catalog_price and priced_rows.expected_list_cost is not null as has_catalog_price,
        priced_rows.expected_list_cost
    from priced_rows
    left join cost_centers
        on priced_rows.resource_id = cost_centers.resource_id
),

monthly as (
    select
        charge_month,
        {{ series | join(',\n        ') }},
        {{ aoai_finops.surrogate_key(series) }} as series_key,
        max(sub_account_name) as sub_account_name,
        max(resource_name) as resource_name,
        max(model_family) as model_family,
        bool_and(is_classified) as is_classified,
        count(distinct charge_date) as charge_days,
        {%- for token_type in token_types %}
        sum(case when token_type = '{{ token_type }}' then tokens else 0 end) as {{ token_type }}_tokens,
        sum(case when token_type = '{{ token_type }}' then effective_cost else 0 end) as {{ token_type }}_cost,
        {%- endfor %}
        sum(tokens) as total_tokens,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        bool_and(has_catalog_price) as has_catalog_price,
        sum(expected_list_cost) as priced_expected_list_cost
    from labelled
    group by
        charge_month,
        {{ series | join(',\n        ') }}
),

ratios as (
    select
        *,
        case when has_catalog_price then priced_expected_list_cost end as expected_list_cost,
        input_tokens + cached_input_tokens + cache_write_input_tokens as all_input_tokens,
        effective_cost / nullif(total_tokens, 0) * 1000000 as blended_cost_per_1m_tokens
    from monthly
),

with_previous as (
    select
        this_month.*,
        previous_month.effective_cost as previous_month_effective_cost,
        previous_month.total_tokens as previous_month_total_tokens,
        previous_month.blended_cost_per_1m_tokens as previous_month_blended_cost_per_1m_tokens
    from ratios as this_month
    left join ratios as previous_month
        on
            this_month.series_key = previous_month.series_key
            and previous_month.charge_month = cast({{ dbt.dateadd('month', -1, 'this_month.charge_month') }} as date)
)

select
    charge_month,
    {%- for column in series %}
    cast({{ column }} as {{ 'boolean' if column in boolean_columns else 'string' }}) as {{ column }},
    {%- endfor %}
    cast(sub_account_name as string) as sub_account_name,
    cast(resource_name as string) as resource_name,
    cast(model_family as string) as model_family,
    is_classified,
    cast(charge_days as integer) as charge_days,
    {%- for token_type in token_types %}
    cast({{ token_type }}_tokens as double) as {{ token_type }}_tokens,
    {%- endfor %}
    cast(total_tokens as double) as total_tokens,
    {%- for token_type in token_types %}
    cast({{ token_type }}_cost as double) as {{ token_type }}_cost,
    {%- endfor %}
    cast(billed_cost as double) as billed_cost,
    cast(effective_cost as double) as effective_cost,
    cast(list_cost as double) as list_cost,
    has_catalog_price,
    cast(expected_list_cost as double) as expected_list_cost,
    cast(input_cost / nullif(input_tokens, 0) * 1000000 as double) as cost_per_1m_input_tokens,
    cast(cached_input_cost / nullif(cached_input_tokens, 0) * 1000000 as double) as cost_per_1m_cached_input_tokens,
    cast(output_cost / nullif(output_tokens, 0) * 1000000 as double) as cost_per_1m_output_tokens,
    cast(blended_cost_per_1m_tokens as double) as blended_cost_per_1m_tokens,
    cast(output_tokens / nullif(all_input_tokens, 0) as double) as output_input_token_ratio,
    cast(cached_input_tokens / nullif(all_input_tokens, 0) as double) as cache_hit_ratio,
    cast(output_cost / nullif(effective_cost, 0) as double) as output_cost_share,
    cast(1 - effective_cost / nullif(expected_list_cost, 0) as double) as effective_discount_rate,
    cast(previous_month_effective_cost as double) as previous_month_effective_cost,
    cast(effective_cost / nullif(previous_month_effective_cost, 0) - 1 as double) as effective_cost_mom_change,
    cast(total_tokens / nullif(previous_month_total_tokens, 0) - 1 as double) as total_tokens_mom_change,
    cast(previous_month_blended_cost_per_1m_tokens as double) as previous_month_blended_cost_per_1m_tokens,
    cast(
        blended_cost_per_1m_tokens / nullif(previous_month_blended_cost_per_1m_tokens, 0) - 1 as double
    ) as blended_cost_per_1m_tokens_mom_change
from with_previous
