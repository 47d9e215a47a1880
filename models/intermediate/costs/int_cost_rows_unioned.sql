-- Cost rows of every export flavour under their FOCUS 1.2 names, one row per source row, with the loader's
-- lineage as `x_` columns. Nothing is normalised yet: see int_cost_rows_normalized.
with focus_cost as (
    select * from {{ ref('stg_cost_exports__focus_cost') }}
),

unioned as (
    select
        {%- for lake_column, column in lineage_columns().items() %}
        {{ lake_column }} as {{ column }},
        {%- endfor %}
        {{ (focus_cost_columns() + microsoft_x_columns()) | join(',\n        ') }}
    from focus_cost
)

select * from unioned
