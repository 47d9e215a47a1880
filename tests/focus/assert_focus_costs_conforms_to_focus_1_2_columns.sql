-- focus_costs has every column of FOCUS 1.2 (Mandatory, Conditional and Recommended alike: Azure's data has
-- them all), and every column it has that FOCUS defines in no version starts with `x_` (custom columns MUST).
-- ServiceProviderName and HostProviderName are FOCUS 1.3 columns carried ahead. Returns the offending columns.
with readiness as (
    select * from {{ ref('dim_focus_columns') }}
),

defined_anywhere as (
    select distinct lower(column_id) as column_key
    from readiness
    where feature_level is not null
)

select
    readiness.focus_version,
    readiness.column_id,
    readiness.readiness_status
from readiness
left join defined_anywhere
    on lower(readiness.column_id) = defined_anywhere.column_key
where
    (readiness.focus_version = '1.2' and readiness.readiness_status = 'missing')
    or (readiness.readiness_status = 'not defined in this version' and defined_anywhere.column_key is null)
