-- STUB for development of the meter classification. The pipeline work provides the real int_cost_meters
-- (one row per distinct meter of the cost data) and replaces this file at merge; it reads the dev-only seed
-- sample_cost_meters. Interface: meter_id, meter_name, meter_category, meter_subcategory, unit_of_measure,
-- resource_type, all strings.

select
    cast(meter_id as string) as meter_id,
    cast(meter_name as string) as meter_name,
    cast(meter_category as string) as meter_category,
    cast(meter_subcategory as string) as meter_subcategory,
    cast(unit_of_measure as string) as unit_of_measure,
    cast(resource_type as string) as resource_type
from {{ ref('sample_cost_meters') }}
