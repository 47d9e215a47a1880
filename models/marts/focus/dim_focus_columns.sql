-- depends_on: {{ ref('focus_costs') }}
-- The FOCUS columns of the Cost and Usage dataset of versions 1.2, 1.3 and 1.4 (seed focus_columns) and whether
-- focus_costs has them, plus the columns focus_costs has that a version does not define (and does not prefix
-- with `x_`): the conformance and readiness report per version. focus_costs' columns are read from the
-- warehouse when the model runs, so the report describes the table as built.
{%- set present = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(ref('focus_costs')) %}
{%- do present.append(column.name) %}
{%- endfor %}
{%- endif %}

with focus_columns as (
    select * from {{ ref('focus_columns') }}
),

focus_costs_columns as (
    {%- for name in present %}
    select {{ aoai_finops.sql_string_literal(name) }} as column_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not present %}
    select cast(null as {{ dbt.type_string() }}) as column_name
    {%- endif %}
),

versions as (
    select distinct focus_version from focus_columns
),

defined as (
    select
        focus_columns.focus_version,
        focus_columns.column_id,
        focus_columns.feature_level,
        focus_columns.data_type,
        focus_costs_columns.column_name is not null as is_in_focus_costs
    from focus_columns
    left join focus_costs_columns
        on lower(focus_columns.column_id) = lower(focus_costs_columns.column_name)
),

undefined as (
    select
        versions.focus_version,
        focus_costs_columns.column_name as column_id,
        cast(null as {{ dbt.type_string() }}) as feature_level,
        cast(null as {{ dbt.type_string() }}) as data_type,
        true as is_in_focus_costs
    from focus_costs_columns
    cross join versions
    left join focus_columns
        on
            versions.focus_version = focus_columns.focus_version
            and lower(focus_costs_columns.column_name) = lower(focus_columns.column_id)
    where
        focus_columns.column_id is null
        and focus_costs_columns.column_name is not null
        and lower(focus_costs_columns.column_name) not like 'x!_%' escape '!'
),

unioned as (
    select * from defined
    union all
    select * from undefined
)

select
    cast(focus_version as string) as focus_version,
    cast(column_id as string) as column_id,
    cast(feature_level as string) as feature_level,
    cast(data_type as string) as data_type,
    cast(is_in_focus_costs as boolean) as is_in_focus_costs,
    cast(
        case
            when feature_level is null then 'not defined in this version'
            when is_in_focus_costs then 'present'
            else 'missing'
        end as string
    ) as readiness_status
from unioned
