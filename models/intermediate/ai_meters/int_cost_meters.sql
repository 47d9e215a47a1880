-- One row per distinct meter in the loaded cost data, with what it cost: the input of meter classification
-- and of the unclassified-meter report.
{%- set identity_values = [] %}
{%- set key_parts = [] %}
{%- for row_column, meter_column in meter_identity() %}
{%- do identity_values.append(meter_identity_value('cost_rows', row_column)) %}
{%- do key_parts.append(meter_column) %}
{%- if not loop.last %}{% do key_parts.append("'|'") %}{% endif %}
{%- endfor %}

with cost_rows as (
    select * from {{ ref('int_cost_rows_unioned') }}
),

meters as (
    select
        {%- for row_column, meter_column in meter_identity() %}
        {{ meter_identity_value('cost_rows', row_column) }} as {{ meter_column }},
        {%- endfor %}
        max(lower(cost_rows.x_ResourceType)) as resource_type,
        count(*) as row_count,
        sum(cost_rows.BilledCost) as billed_cost,
        sum(cost_rows.EffectiveCost) as effective_cost,
        min(cost_rows.ChargePeriodStart) as first_charge_period_start,
        max(cost_rows.ChargePeriodStart) as last_charge_period_start
    from cost_rows
    group by
        {{ identity_values | join(',\n        ') }}
),

keyed as (
    select
        {{ dbt.hash(dbt.concat(key_parts)) }} as meter_key,
        *
    from meters
)

select * from keyed
