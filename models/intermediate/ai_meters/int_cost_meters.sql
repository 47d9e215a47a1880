-- One row per distinct meter in the loaded cost data, with what it cost: the input of meter classification
-- and of the unclassified-meter report. The sums of every billing month (int_cost_meter_months_aggregated).
{%- set meter_columns = meter_identity_columns() %}
{#- The key hashes the identity with a separator between its values. #}
{%- set key_parts = [] %}
{%- for column in meter_columns %}
{%- do key_parts.append(column) %}
{%- if not loop.last %}{% do key_parts.append("'|'") %}{% endif %}
{%- endfor %}

with meters as (
    select
        {{ meter_columns | join(',\n        ') }},
        max(resource_type) as resource_type,
        cast(sum(row_count) as {{ dbt.type_bigint() }}) as row_count,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        min(first_charge_period_start) as first_charge_period_start,
        max(last_charge_period_start) as last_charge_period_start
    from {{ ref('int_cost_meter_months_aggregated') }}
    group by
        {{ meter_columns | join(',\n        ') }}
),

keyed as (
    select
        {{ dbt.hash(dbt.concat(key_parts)) }} as meter_key,
        *
    from meters
)

select * from keyed
