{#-
    The allocation chain (int_allocation_pool_candidates, int_allocation_pool_decisions,
    int_cost_allocation_splits) and fct_cost_allocation_daily are incremental by billing month on the month's
    allocation inputs: a month is rebuilt when its cost rows (ingestion time), the seeds (checksum) or its other
    inputs (int_allocation_billing_months.fingerprint: tags, keys and telemetry of its days) changed.
    focus_costs_allocated keeps the same state under FOCUS column names. int_allocation_cost_rows, the rows they
    split, is incremental the same way on int_allocation_cost_row_months (which AI accounts' credits a month holds).
-#}

{#- The month state of these models, for incremental_by_billing_month() and billing_month_plan(). -#}
{% macro allocation_month_state(one_month_at_a_time=false) %}
    {{ return({
        'month_column': 'billing_month', 'ingested_at_column': 'billing_month_ingested_at',
        'checksum_column': 'seeds_checksum', 'fingerprint_column': 'allocation_fingerprint',
        'months_model': 'int_allocation_billing_months', 'one_month_at_a_time': one_month_at_a_time,
    }) }}
{% endmacro %}

{#- The month state of int_allocation_cost_rows and the resource-days summed from it
    (int_allocation_resource_days_aggregated): on int_allocation_cost_row_months. -#}
{% macro allocation_cost_row_month_state() %}
    {{ return({
        'month_column': 'billing_month', 'ingested_at_column': 'billing_month_ingested_at',
        'checksum_column': 'seeds_checksum', 'fingerprint_column': 'ai_account_fingerprint',
        'months_model': 'int_allocation_cost_row_months',
    }) }}
{% endmacro %}

{#- The state columns of a row: `months` is the alias under which the row's month of int_allocation_billing_months
    is joined. -#}
{% macro allocation_month_state_columns(months) %}
    {{- months }}.ingested_at as billing_month_ingested_at,
    {{ aoai_finops.sql_string_literal(aoai_finops.seeds_checksum()) }} as seeds_checksum,
    {{ months }}.fingerprint as allocation_fingerprint
{%- endmacro %}

{#- The focus_costs rows the allocation splits (int_allocation_cost_rows): every AI meter row, and every credit or
    adjustment of a resource with AI cost in any month, so a newer month can add an older month's credit.
    is_credit_of_ai_account marks the latter. `where`: a condition on the rows (alias `charges`, e.g. their
    months); the AI accounts always come from every month. -#}
{% macro allocated_cost_rows(focus_costs, where='1 = 1') %}
    select
        charges.*,
        not coalesce(charges.x_AiIsAiMeter, false) as is_credit_of_ai_account
    from {{ focus_costs }} as charges
    left join (
        select distinct ResourceId as resource_id
        from {{ focus_costs }}
        where x_AiIsAiMeter and ResourceId is not null
    ) as ai_accounts
        on charges.ResourceId = ai_accounts.resource_id
    where
        ({{ where }})
        and (
            charges.x_AiIsAiMeter
            or (charges.ChargeCategory in ('Credit', 'Adjustment') and ai_accounts.resource_id is not null)
        )
{%- endmacro %}

{#- The rows of a months model with a fingerprint (billing_month_plan()'s months_model): each month of
    `fingerprints` (a CTE of billing_month, fingerprint) with its lake ingestion time. -#}
{% macro fingerprinted_months(fingerprints) %}
    select
        {{ fingerprints }}.billing_month,
        lake_months.ingested_at,
        {{ fingerprints }}.fingerprint
    from {{ fingerprints }}
    inner join {{ ref('int_lake_billing_months') }} as lake_months
        on {{ fingerprints }}.billing_month = lake_months.billing_month
{%- endmacro %}
