{#-
    Models of AI charges stored by the calendar month of their charge dates (int_ai_costs_daily_unioned and the sums
    read by fct_ai_price_variances, fct_ai_unit_economics_monthly and the anomaly series), rebuilt on
    int_ai_costs_daily_months: a month is rebuilt when a lake billing month with charges in it changed, and so is
    every month after it (the months model files a lake month under its first charge month, and a day's usual price
    reads the days before it). A late charge, dated in a month before its export's, is thereby summed with the rest
    of its day. The month column is billing_month (the calendar month of the charge date): the data tests of a
    daily build read the months of var('test_billing_months') only.
-#}

{#- The month state of such a model, for incremental_by_billing_month() and billing_month_plan(). -#}
{% macro ai_charge_month_state() %}
    {{ return({
        'month_column': 'billing_month', 'fingerprint_column': 'charges_fingerprint',
        'months_model': 'int_ai_costs_daily_months', 'later_months_too': true,
    }) }}
{% endmacro %}

{#- The final select of such a model: every row of `relation` (it has a charge_date, or the date_column given)
    with its month and the month's fingerprint. A left join: a row never goes missing; one without a fingerprint
    fails the not_null test of charges_fingerprint. -#}
{% macro ai_charge_month_stamped(relation, date_column='charge_date') %}
select
    stamped.*,
    charge_months.fingerprint as charges_fingerprint
from (
    select
        *,
        {{ aoai_finops.month_string(date_column) }} as billing_month
    from {{ relation }}
) as stamped
left join {{ ref('int_ai_costs_daily_months') }} as charge_months
    on stamped.billing_month = charge_months.billing_month
{%- endmacro %}
