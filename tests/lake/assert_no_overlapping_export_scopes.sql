-- Overlapping export scopes: the costs of one subscription in one billing month exported under two scopes (a
-- billing-account export and a subscription export, say) are counted twice by every mart that sums focus_costs.
-- The loader keeps only the broader scope when one covers the other (docs/loading.md); what it cannot resolve
-- (scopes sharing only some subscriptions) stays in the lake and is listed here: one row per month and shared
-- subscription. A warning, not an error: the data is as exported, the fix is in the exports' configuration.
{{ config(severity='warn') }}

with cost_rows as (
    select
        lake_billing_month as billing_month,
        lake_export_scope as export_scope,
        lower(SubAccountId) as sub_account_id
    from {{ ref('stg_cost_exports__focus_cost') }}
    where SubAccountId is not null
),

shared_sub_accounts as (
    select
        billing_month,
        sub_account_id,
        count(distinct export_scope) as export_scope_count,
        min(export_scope) as first_export_scope,
        max(export_scope) as last_export_scope
    from cost_rows
    group by billing_month, sub_account_id
)

select * from shared_sub_accounts
where export_scope_count > 1
