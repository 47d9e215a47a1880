{{ config(severity='warn') }}
-- Values the FOCUS mapping seeds do not know yet. Rows are never dropped for this: they keep the export's value
-- or a fallback ('Other', the unit as written, the region id), and this warning lists what to add:
--   legacy ChargeType / PricingModel   -> seeds/focus/focus_legacy_charge_types.csv (ChargeCategory stays null)
--   ServiceName or resource type        -> seeds/focus/focus_services.csv
--   unit of measure                     -> seeds/ai_pricing_units.csv (PricingUnit falls back to the text)
--   region id                           -> seeds/focus/focus_regions.csv (RegionName falls back to the id)
with charge_types as (
    select * from {{ ref('focus_legacy_charge_types') }}
),

unmapped_charge_types as (
    select
        'legacy ChargeType / PricingModel' as gap,
        {{ dbt.concat(["coalesce(paired.ChargeType, '')", "' / '", "coalesce(paired.PricingModel, '')"]) }}
            as gap_value,
        count(*) as row_count
    from {{ ref('int_cost_details_paired') }} as paired
    left join charge_types as by_type
        on lower(paired.ChargeType) = by_type.charge_type
    where by_type.charge_type is null
    group by paired.ChargeType, paired.PricingModel
),

service_names as (
    select distinct service_name from {{ ref('focus_services') }}
),

unmapped_services as (
    select
        'ServiceName' as gap,
        {{ dbt.concat(["focus_costs.ServiceName", "' ('", "coalesce(focus_costs.x_ResourceType, '')", "')'"]) }}
            as gap_value,
        count(*) as row_count
    from {{ ref('focus_costs') }} as focus_costs
    left join service_names
        on focus_costs.ServiceName = service_names.service_name
    where service_names.service_name is null
    group by focus_costs.ServiceName, focus_costs.x_ResourceType
),

units as (
    select lower(trim(unit_of_measure)) as unit_key from {{ ref('ai_pricing_units') }}
),

unmapped_units as (
    select
        'unit of measure' as gap,
        focus_costs.x_PricingUnitDescription as gap_value,
        count(*) as row_count
    from {{ ref('focus_costs') }} as focus_costs
    left join units
        on lower(trim(focus_costs.x_PricingUnitDescription)) = units.unit_key
    where focus_costs.x_PricingUnitDescription is not null and units.unit_key is null
    group by focus_costs.x_PricingUnitDescription
),

unmapped_regions as (
    select
        'region id' as gap,
        RegionId as gap_value,
        count(*) as row_count
    from {{ ref('focus_costs') }}
    where RegionId is not null and RegionName = RegionId
    group by RegionId
)

select * from unmapped_charge_types
union all
select * from unmapped_services
union all
select * from unmapped_units
union all
select * from unmapped_regions
