-- All cost rows of the loaded exports in FOCUS shape (every service, not only AI): the conformed base BI tools
-- and other FinOps tools read, and the source of every AI mart.
select * from {{ ref('int_cost_rows_normalized') }}
