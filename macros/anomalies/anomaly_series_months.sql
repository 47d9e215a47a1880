{#-
    int_anomaly_series_scored is incremental by the calendar month of its days (billing_month) on
    int_anomaly_series_months: a month is scored again when any input row of it changed (its fingerprint), and so is
    every month after it, whose windows read its days (later_months_too). The days before the first month scored
    keep their scores; the detector reads their stored state (detect_anomalies(prior_state, score_from)) from a copy
    the pre-hook takes, because an engine cannot read the partitions of a table it overwrites in the same statement
    (Spark refuses).
-#}

{#- The month state of int_anomaly_series_scored, for incremental_by_billing_month() and billing_month_plan(). -#}
{% macro anomaly_series_month_state() %}
    {{ return({
        'month_column': 'billing_month', 'fingerprint_column': 'series_fingerprint',
        'months_model': 'int_anomaly_series_months', 'later_months_too': true,
    }) }}
{% endmacro %}

{#- The columns of a series day (int_anomaly_series_daily) besides series_id and billing_month: what the detector
    scores and what it passes through. -#}
{% macro anomaly_series_columns() %}
    {{ return(['scope_key', 'scope_level', 'metric'] + aoai_finops.anomaly_scope_columns() + [
        'scope_id', 'scope_name', 'billing_currency', 'metric_date', 'metric_value', 'fixed_value',
        'impact_per_unit', 'effective_cost', 'committed_cost', 'tokens', 'price_effect_cost',
    ]) }}
{% endmacro %}

{#- Where the pre-hook keeps the stored state of the days before the first month scored, during the build. -#}
{% macro anomaly_prior_state_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__prior_state'}, type='table')) }}
{% endmacro %}

{#- The first day scored: the first month of the plan, or none when every day is. -#}
{% macro anomaly_score_from(plan) %}
    {%- if not plan.rebuild %}
        {{ return(none) }}
    {%- endif %}
    {{ return("cast('" ~ plan.rebuild[0] ~ "-01' as date)") }}
{% endmacro %}

{#- Pre-hook, the first: copy the stored state of the detector's lookback days before the first month scored,
    but those of months the lake no longer has (the plan removes them, so their days are gone from the series). -#}
{% macro save_anomaly_prior_state() %}
    {%- set month_state = aoai_finops.anomaly_series_month_state() %}
    {%- do month_state.update({'quiet': true}) %}
    {%- set plan = aoai_finops.billing_month_plan(**month_state) %}
    {%- set score_from = aoai_finops.anomaly_score_from(plan) %}
    {%- set prior_state = aoai_finops.anomaly_prior_state_relation() %}
    {%- do run_query('drop table if exists ' ~ prior_state) %}
    {%- if score_from is none %}
        {{ return('') }}
    {%- endif %}
    {%- set columns = ['series_id', 'metric_date', 'history_days'] + aoai_finops.anomaly_state_columns()
        + ['billing_month'] %}
    {%- set rows %}
        select {{ columns | join(', ') }}
        from {{ this }}
        where
            metric_date >= {{ dbt.dateadd('day', -aoai_finops.anomaly_lookback_days(), score_from) }}
            and metric_date < {{ score_from }}
            {%- for month in plan.remove %}
            and billing_month <> {{ aoai_finops.sql_string_literal(month) }}
            {%- endfor %}
    {%- endset %}
    {%- do run_query(create_table_as(false, prior_state, rows)) %}
    {{ return('') }}
{% endmacro %}

{#- Post-hook: the copy is not needed after the build. -#}
{% macro drop_anomaly_prior_state() %}
    {{ return('drop table if exists ' ~ aoai_finops.anomaly_prior_state_relation()) }}
{% endmacro %}
