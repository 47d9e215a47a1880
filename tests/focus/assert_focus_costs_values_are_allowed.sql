-- Every value of the FOCUS 1.2 enumerated columns of focus_costs is one FOCUS allows, on every row. (The
-- official validator passes an allowed-value rule as soon as one row is valid.) Returns the values that are not
-- allowed, with their row counts.
{%- set enumerated = [
    'ChargeCategory', 'ChargeClass', 'ChargeFrequency', 'CommitmentDiscountCategory', 'CommitmentDiscountStatus',
    'CapacityReservationStatus', 'PricingCategory', 'ServiceCategory', 'ServiceSubcategory',
] %}

with used_values as (
    {%- for column in enumerated %}
    select
        {{ aoai_finops.sql_string_literal(column) }} as column_id,
        {{ column }} as used_value,
        count(*) as row_count
    from {{ ref('focus_costs') }}
    where {{ column }} is not null
    group by {{ column }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

allowed as (
    select * from {{ ref('focus_allowed_values') }}
)

select
    used_values.column_id,
    used_values.used_value,
    used_values.row_count
from used_values
left join allowed
    on
        used_values.column_id = allowed.column_id
        and used_values.used_value = allowed.allowed_value
where allowed.allowed_value is null
