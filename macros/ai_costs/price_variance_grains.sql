{#-
    The grains fct_ai_price_variances checks the bill at, shared with the stored sums it reads:
      - meter_day (int_ai_meter_days_aggregated): AI account x meter x day x pricing category x currency, the
        grain Azure bills unit prices at;
      - deployment_day (int_ai_deployment_days_aggregated): AI account x model x deployment type x batch x
        priority x modality x context tier x currency x day, where cached input is judged against the same
        model's input and output.
-#}
{% macro ai_price_variance_grain(name) %}
    {%- set grains = {
        'meter_day': [
            'charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'meter_id', 'meter_name',
            'pricing_category', 'billing_currency',
        ],
        'deployment_day': [
            'charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'model_id', 'model_version',
            'deployment_type', 'is_batch', 'is_priority', 'token_modality', 'long_context_tier', 'billing_currency',
        ],
    } %}
    {{ return(grains[name]) }}
{% endmacro %}

{#-
    sum_across_billing_months(relation, keys, aggregates): one row per key of `relation`, which holds one row per
    lake billing month and key, and says on each whether its charge date lies outside that month
    (is_charge_outside_billing_month). Such a late charge can put a key in two lake months: only those keys are
    combined again, with `aggregates` (column -> sum, bool_and or bool_or); every other row passes through as
    stored, so a build reads the stored sums once instead of grouping them all again.
-#}
{% macro sum_across_billing_months(relation, keys, aggregates) %}
    {%- set late_keys -%}
        select 1 from {{ relation }} as late
        where
            late.is_charge_outside_billing_month
            and {{ aoai_finops.entity_attributes_join('stored', 'late', keys) }}
    {%- endset %}
    select
        {{ keys | join(',\n        ') }},
        {%- for column, aggregate in aggregates.items() %}
        {{ aggregate }}({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }} as stored
    where exists ({{ late_keys }})
    group by
        {{ keys | join(',\n        ') }}
    union all
    select
        {{ keys | join(',\n        ') }},
        {{ aggregates.keys() | join(',\n        ') }}
    from {{ relation }} as stored
    where not exists ({{ late_keys }})
{%- endmacro %}
