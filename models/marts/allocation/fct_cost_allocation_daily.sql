-- AI cost per day, account, model and token type, allocated to cost centers, applications, teams and
-- environments, in cents: rounded with the largest remainder method twice, so the cents of each account and day
-- add up to its cost rounded to the cent, and the cents of each model and token type to theirs.
-- Incremental by billing month, like the allocation chain: a month is rebuilt when its cost rows, the seeds or its
-- other allocation inputs changed (int_allocation_billing_months; docs/incremental.md).
{#- A statement per month: the join of every cost row with its splits is too large for one (docs/benchmarks.md). -#}
{%- set month_state = aoai_finops.allocation_month_state(one_month_at_a_time=true) %}
{{ config(materialized='incremental', **aoai_finops.incremental_by_billing_month(**month_state)) }}
{%- set plan = aoai_finops.billing_month_plan(**month_state) %}
{%- set source_grain = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id', 'charge_kind',
    'model_name', 'deployment_type', 'is_batch', 'token_type',
] %}
{%- set account_day = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
] %}
{%- set resource_day = ['billing_month', 'charge_date', 'resource_id'] %}
{%- set target = [
    'deployment_name', 'cost_center', 'application', 'team', 'environment', 'allocation_method',
    'unallocated_reason',
] %}
{%- set target_order = [] %}
{%- for column in target %}{% do target_order.append("coalesce(" ~ column ~ ", '')") %}{% endfor %}

with cost_rows as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('int_allocation_cost_rows') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

splits as (
    select * from {{ ref('int_cost_allocation_splits') }}
    where {{ aoai_finops.billing_months_in('billing_month', plan) }}
),

input_months as (
    select * from {{ ref('int_allocation_billing_months') }}
),

source_costs as (
    select
        {{ source_grain | join(',\n        ') }},
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from cost_rows
    group by {{ source_grain | join(', ') }}
),

-- The resource's name on the day, looked up rather than aggregated per source row (macros/entity_attributes.sql).
resources as (
    {{- aoai_finops.entity_attributes('cost_rows', resource_day, ['resource_name']) }}
),

-- Level 1: each model and token type's cost to the cent, adding up to the account's day.
source_cents as (
    {{ largest_remainder_round('source_costs', ['billed_cost', 'effective_cost'], partition_by=account_day,
                               order_by=source_grain) }}
),

-- One row per pool and target (a purchase's target may cover several accounts: their shares add up).
pieces as (
    select
        {% for column in source_grain %}cost_rows.{{ column }},
        {% endfor -%}
        {% for column in target %}splits.{{ column }},
        {% endfor -%}
        cost_rows.pool_id,
        splits.target_resource_id,
        max(splits.allocation_rule_order) as allocation_rule_order,
        max(splits.fallback_reasons) as fallback_reasons,
        max(splits.allocation_share) as allocation_share,
        sum(splits.allocated_tokens) as allocated_tokens,
        sum(splits.allocated_billed_cost) as allocated_billed_cost,
        sum(splits.allocated_effective_cost) as allocated_effective_cost
    from splits
    inner join cost_rows on splits.allocation_row_id = cost_rows.allocation_row_id
    group by
        {% for column in source_grain %}cost_rows.{{ column }},
        {% endfor -%}
        {% for column in target %}splits.{{ column }},
        {% endfor -%}
        cost_rows.pool_id,
        splits.target_resource_id
),

allocated as (
    select
        {{ (source_grain + target) | join(',\n        ') }},
        max(pieces.allocation_rule_order) as allocation_rule_order,
        max(pieces.fallback_reasons) as fallback_reasons,
        sum(pieces.allocation_share) as allocation_share,
        sum(pieces.allocated_tokens) as allocated_tokens,
        sum(pieces.allocated_billed_cost) as allocated_billed_cost,
        sum(pieces.allocated_effective_cost) as allocated_effective_cost
    from pieces
    group by
        {{ (source_grain + target) | join(',\n        ') }}
),

with_totals as (
    select
        allocated.*,
        resources.resource_name,
        source_cents.billed_cost_rounded as source_billed_cost_cents,
        source_cents.effective_cost_rounded as source_effective_cost_cents
    from allocated
    -- null-safe: a charge without a subscription or resource (a purchase billed to the account) keeps its cents
    inner join source_cents
        on {{ aoai_finops.entity_attributes_join('allocated', 'source_cents', source_grain) }}
    left join resources
        on {{ aoai_finops.entity_attributes_join('allocated', 'resources', resource_day) }}
),

-- Level 2: each target's cents, adding up to its model and token type's cents.
allocated_cents as (
    {{ largest_remainder_round(
        'with_totals', ['allocated_billed_cost', 'allocated_effective_cost'], partition_by=source_grain,
        order_by=target_order,
        totals={'allocated_billed_cost': 'source_billed_cost_cents',
                'allocated_effective_cost': 'source_effective_cost_cents'}) }}
),

with_month_state as (
    select
        allocated_cents.*,
        {{ aoai_finops.allocation_month_state_columns('input_months') }}
    from allocated_cents
    inner join input_months on allocated_cents.billing_month = input_months.billing_month
),

final as (
    select
        charge_date,
        billing_month,
        billing_account_id,
        billing_currency,
        sub_account_id,
        resource_id,
        resource_name,
        charge_kind,
        model_name,
        deployment_type,
        is_batch,
        token_type,
        deployment_name,
        cost_center,
        application,
        team,
        environment,
        allocation_method,
        cast(allocation_rule_order as integer) as allocation_rule_order,
        fallback_reasons,
        unallocated_reason,
        unallocated_reason is null as is_allocated,
        cast(allocation_share as double) as allocation_share,
        cast(allocated_tokens as double) as allocated_tokens,
        cast(allocated_billed_cost_rounded as double) as allocated_billed_cost,
        cast(allocated_effective_cost_rounded as double) as allocated_effective_cost,
        billing_month_ingested_at,
        seeds_checksum,
        allocation_fingerprint
    from with_month_state
)

select * from final
