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

{#- The config and plan of a model stored by the month of its charge dates and rebuilt on int_ai_costs_daily_months:
    a month is rebuilt when a lake billing month with charges in it changed, and so is every month after it (the
    months model files a lake month under its first charge month). A late charge, dated in a month before its
    export's, is thereby summed with the rest of its day. -#}
{% macro ai_charge_month_state() %}
    {{ return({
        'month_column': 'charge_month', 'fingerprint_column': 'charges_fingerprint',
        'months_model': 'int_ai_costs_daily_months', 'later_months_too': true,
    }) }}
{% endmacro %}

{#- The final select of such a model: every row of `relation` (it has a charge_date) with its charge month and the
    month's fingerprint. A left join: a row never goes missing; one without a fingerprint fails the not_null test of
    charges_fingerprint. -#}
{% macro ai_charge_month_stamped(relation) %}
select
    {{ relation }}.*,
    {{ aoai_finops.month_string(relation ~ '.charge_date') }} as charge_month,
    charge_months.fingerprint as charges_fingerprint
from {{ relation }}
left join {{ ref('int_ai_costs_daily_months') }} as charge_months
    on {{ aoai_finops.month_string(relation ~ '.charge_date') }} = charge_months.billing_month
{%- endmacro %}
