-- The unclassified bucket, meter by meter (and billing currency): every AI meter in the loaded cost data that the
-- rules cannot fully classify, with what the rules did find, what is missing, and the cost it carries. Its cost is
-- in every total (focus_costs; token meters also in fct_ai_token_costs_daily and fct_ai_unit_economics_monthly as
-- model 'unclassified'); this list says which meters need a pattern or an override (docs/meter-intelligence.md).
{#- What a meter needs, as in int_ai_meters_classified; a meter of unknown charge kind needs everything. #}
{%- set requirements = [
    ('charge_kind', 'meters.charge_kind is null'),
    ('unit_block_size', 'meters.unit_block_size is null'),
    ('consumed_unit', 'meters.consumed_unit is null'),
    ('model_id', 'coalesce(charge_kinds.requires_model, true) and meters.model_id is null'),
    ('deployment_type', 'coalesce(charge_kinds.requires_deployment_type, true) and meters.deployment_type is null'),
    ('token_type', 'coalesce(charge_kinds.is_token_charge, true) and meters.token_type is null'),
] %}

with meters as (
    select * from {{ ref('int_ai_meters_classified') }}
    where is_ai_meter and not is_fully_classified
),

-- per currency: a meter billed in two currencies has a row for each
meter_costs as (
    select
        meter_key,
        billing_currency,
        sum(row_count) as row_count,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        min(first_charge_period_start) as first_charge_period_start,
        max(last_charge_period_start) as last_charge_period_start
    from {{ ref('int_cost_meter_months_aggregated') }}
    group by meter_key, billing_currency
),

charge_kinds as (
    select * from {{ ref('ai_charge_kinds') }}
),

described as (
    select
        meters.meter_key,
        meters.meter_id,
        meters.meter_name,
        meters.meter_category,
        meters.meter_subcategory,
        meters.unit_of_measure,
        meters.resource_type,
        meters.charge_kind,
        meters.model_id,
        meters.deployment_type,
        meters.token_type,
        meters.unit_block_size,
        meter_costs.row_count,
        meter_costs.billing_currency,
        meter_costs.billed_cost,
        meter_costs.effective_cost,
        meter_costs.first_charge_period_start,
        meter_costs.last_charge_period_start,
        ''
        {%- for attribute, condition in requirements %}
        || case when {{ condition }} then ', {{ attribute }}' else '' end
        {%- endfor %} as missing_list
    from meters
    inner join meter_costs
        on meters.meter_key = meter_costs.meter_key
    left join charge_kinds
        on meters.charge_kind = charge_kinds.charge_kind
)

select
    cast(meter_key as string) as meter_key,
    cast(meter_id as string) as meter_id,
    cast(meter_name as string) as meter_name,
    cast(meter_category as string) as meter_category,
    cast(meter_subcategory as string) as meter_subcategory,
    cast(unit_of_measure as string) as unit_of_measure,
    cast(resource_type as string) as resource_type,
    cast(charge_kind as string) as charge_kind,
    cast(model_id as string) as model_id,
    cast(deployment_type as string) as deployment_type,
    cast(token_type as string) as token_type,
    cast(unit_block_size as bigint) as unit_block_size,
    cast(nullif(substr(missing_list, 3), '') as string) as missing_attributes,
    cast(row_count as bigint) as cost_row_count,
    cast(billing_currency as string) as billing_currency,
    cast(billed_cost as double) as billed_cost,
    cast(effective_cost as double) as effective_cost,
    cast(first_charge_period_start as date) as first_charge_date,
    cast(last_charge_period_start as date) as last_charge_date
from described
