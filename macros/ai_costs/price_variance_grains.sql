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
