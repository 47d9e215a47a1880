{#-
    The allocation chain (int_allocation_pool_candidates, int_allocation_pool_decisions,
    int_cost_allocation_splits) and fct_cost_allocation_daily are incremental by billing month on the month's
    allocation inputs: a month is rebuilt when its cost rows (ingestion time), the seeds (checksum) or its other
    inputs (int_allocation_billing_months.fingerprint: tags, keys and telemetry of its days) changed.
    focus_costs_allocated keeps the same state under FOCUS column names.
-#}

{#- The month state of these models, for incremental_by_billing_month() and billing_month_plan(). -#}
{% macro allocation_month_state(one_month_at_a_time=false) %}
    {{ return({
        'month_column': 'billing_month', 'ingested_at_column': 'billing_month_ingested_at',
        'checksum_column': 'seeds_checksum', 'fingerprint_column': 'allocation_fingerprint',
        'months_model': 'int_allocation_billing_months', 'one_month_at_a_time': one_month_at_a_time,
    }) }}
{% endmacro %}

{#- The state columns of a row: `months` is the alias under which the row's month of int_allocation_billing_months
    is joined. -#}
{% macro allocation_month_state_columns(months) %}
    {{- months }}.ingested_at as billing_month_ingested_at,
    {{ aoai_finops.sql_string_literal(aoai_finops.seeds_checksum()) }} as seeds_checksum,
    {{ months }}.fingerprint as allocation_fingerprint
{%- endmacro %}
