{#- The token types fct_ai_unit_economics_monthly reports side by side (a column pair each: <type>_tokens and
    <type>_cost), summed by int_ai_model_months_aggregated. -#}
{% macro unit_economics_token_types() %}
    {{ return(['input', 'cached_input', 'cache_write_input', 'output']) }}
{% endmacro %}
