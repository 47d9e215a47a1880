-- Fixture incremental model, rebuilt by billing month on both engines (delete+insert on DuckDB,
-- insert_overwrite of the month partitions on Spark): the pattern focus_costs will use.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **aoai_finops.incremental_by_partition('billing_month')
) }}

with costs as (
    select *
    from {{ ref('fixture_stg_focus_cost') }}
    {% if is_incremental() %}
        -- Months with a load newer than what this table has seen: rebuild those months completely.
        where billing_month in (
            select billing_month
            from {{ ref('fixture_stg_focus_cost') }}
            group by billing_month
            having max(loaded_at) > (select coalesce(max(last_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
        )
    {% endif %}
)

select
    costs.charge_date,
    {{ aoai_finops.day_of_week_iso('costs.charge_date') }} as day_of_week,
    costs.meter_name,
    meters.model_family,
    meters.token_direction,
    cast(count(*) as bigint) as cost_rows,
    cast(sum(costs.billed_cost) as double) as billed_cost,
    cast(sum(costs.pricing_quantity * costs.pricing_block_size) as bigint) as tokens,
    bool_or(meters.model_family = 'unclassified') as has_unclassified,
    max(costs.loaded_at) as last_loaded_at,
    {{ aoai_finops.current_timestamp_utc() }} as built_at,
    costs.billing_month
from costs
inner join {{ ref('fixture_int_meters_classified') }} as meters
    on costs.meter_name = meters.meter_name
group by
    costs.billing_month,
    costs.charge_date,
    costs.meter_name,
    meters.model_family,
    meters.token_direction
