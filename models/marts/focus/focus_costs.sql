-- All cost rows of the loaded exports in FOCUS shape (every service, not only AI): the conformed base BI tools
-- and other FinOps tools read, and the source of every AI mart. Incremental by billing month: an incremental
-- run rebuilds only the months whose ingestion (or the seeds) changed since they were built (docs/incremental.md).
-- depends_on: {{ ref('int_lake_billing_months') }}
{{ config(
    materialized='incremental',
    **aoai_finops.incremental_by_billing_month('x_BillingMonth', 'x_BillingMonthIngestedAt', 'x_SeedsChecksum')
) }}

select * from {{ ref('int_cost_rows_normalized') }}
where {{ aoai_finops.billing_month_filter('x_BillingMonth', 'x_BillingMonthIngestedAt', 'x_SeedsChecksum') }}
