-- Token unit economics per month, model, deployment type (with batch and priority), AI account, subscription
-- and cost center: what a million input, cached input and output tokens cost, the token mix behind a blended
-- price, and how it moved since the previous month, from the monthly sums of int_ai_model_months_aggregated. Costs
-- are EffectiveCost (amortized, after discounts). The cost center is the account's cost_center tag
-- (int_resource_tags_normalized, its latest value); 'untagged' without one. Token meters the classifier cannot read
-- stay in as model 'unclassified', so the totals equal fct_ai_token_costs_daily.
{#- Batch and priority processing are part of the deployment type: Azure sells them as GlobalBatch,
    DataZoneBatch and priority processing, at their own prices. #}
{%- set series = [
    'billing_account_id', 'sub_account_id', 'resource_id', 'model_name', 'deployment_type', 'is_batch',
    'is_priority', 'cost_center', 'billing_currency',
] %}
{%- set boolean_columns = ['is_batch', 'is_priority'] %}
{%- set token_types = aoai_finops.unit_economics_token_types() %}

with cost_centers as (
    select
        resource_id,
        tag_value as cost_center
    from {{ ref('int_resource_tags_normalized') }}
    where tag_key = 'cost_center'
),

-- An account has one cost center (its latest tag), so adding it never merges two model-months.
monthly as (
    select
        model_months.*,
        coalesce(cost_centers.cost_center, 'untagged') as cost_center
    from {{ ref('int_ai_model_months_aggregated') }} as model_months
    left join cost_centers
        on model_months.resource_id = cost_centers.resource_id
),

ratios as (
    select
        *,
        {{ aoai_finops.surrogate_key(series) }} as series_key,
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
