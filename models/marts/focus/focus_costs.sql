-- All cost rows of the loaded exports in FOCUS shape (every service, not only AI): the conformed base BI tools
-- and other FinOps tools read, and the source of every AI mart. Incremental by billing month: an incremental
-- run rebuilds only the months whose ingestion (or the seeds) changed since they were built (docs/incremental.md).
-- Each row gets a stable id (x_CostRowId), so the models that split rows (allocation) carry only the id and the
-- columns they decide on, and join the wide row back once.
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('x_BillingMonth', 'x_BillingMonthIngestedAt', 'x_SeedsChecksum')
) }}
{%- set row_identity = [
    'x_BillingMonth', 'x_SourceFile', 'ChargePeriodStart', 'ResourceId', 'x_SkuMeterId', 'SkuPriceId',
    'ChargeCategory', 'PricingCategory', 'CommitmentDiscountId', 'CommitmentDiscountStatus',
    'cast(BilledCost as decimal(38, 10))', 'cast(EffectiveCost as decimal(38, 10))',
    'cast(ConsumedQuantity as decimal(38, 6))', 'Tags',
] %}
{%- set columns = aoai_finops.normalized_cost_columns() %}

with cost_rows as {{ aoai_finops.inline_cte() }} (
    select * from {{ ref('int_cost_rows_normalized') }}
    where {{ aoai_finops.billing_month_filter('x_BillingMonth', 'x_BillingMonthIngestedAt', 'x_SeedsChecksum') }}
),

identified as {{ aoai_finops.inline_cte() }} (
    select
        cost_rows.*,
        {{ aoai_finops.surrogate_key(row_identity) }} as row_identity_key
    from cost_rows
),

-- Rows alike in every identity column (the same charge twice in one file) are numbered apart. Only those few go
-- through the window: over every row it would sort every column of every cost row, and spill gigabytes at scale.
duplicated_keys as (
    select row_identity_key
    from identified
    group by row_identity_key
    having count(*) > 1
)

select
    {%- for column in columns %}
    identified.{{ column }},
    {%- endfor %}
    identified.row_identity_key || '-1' as x_CostRowId
from identified
left join duplicated_keys on identified.row_identity_key = duplicated_keys.row_identity_key
where duplicated_keys.row_identity_key is null
union all
select
    {%- for column in columns %}
    identified.{{ column }},
    {%- endfor %}
    identified.row_identity_key || '-' || cast(row_number() over (
        partition by identified.row_identity_key order by identified.row_identity_key
    ) as {{ dbt.type_string() }}) as x_CostRowId
from identified
inner join duplicated_keys on identified.row_identity_key = duplicated_keys.row_identity_key
