-- One row per distinct meter in the loaded cost data, with its rows and dates: the input of meter classification.
-- The sums of every billing month and currency (int_cost_meter_months_aggregated, which also keys the meters).
{%- set meter_columns = meter_identity_columns() %}

select
    meter_key,
    {{ meter_columns | join(',\n    ') }},
    max(resource_type) as resource_type,
    cast(sum(row_count) as {{ dbt.type_bigint() }}) as row_count,
    min(first_charge_period_start) as first_charge_period_start,
    max(last_charge_period_start) as last_charge_period_start
from {{ ref('int_cost_meter_months_aggregated') }}
group by
    meter_key,
    {{ meter_columns | join(',\n    ') }}
