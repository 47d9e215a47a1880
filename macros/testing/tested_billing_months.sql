{#-
    Data tests of chosen billing months only (docs/incremental.md, "Testing an incremental build").

    By default every data test reads every row. A daily incremental build rebuilds a month or two; testing the
    other months again finds nothing new and, at 20 million rows, takes minutes. With the var
    `test_billing_months` (a list of YYYY-MM), the data tests of every relation with a billing month column read
    those months only:

        dbt build --vars '{test_billing_months: ["2026-10"]}'

    - generic tests (unique, not_null, relationships, equal_row_count, ...): get_where_subquery() below, which dbt
      calls on the tested relation, adds the month filter to the test's own `where`;
    - singular tests over such relations read them through tested_rows() (or filter on
      tested_billing_months_in()).
    A relation has a billing month column when its YAML documents `billing_month` or `x_BillingMonth`. Relations
    without one (meters, seeds, anomaly series) are tested whole. Unset (CI, full builds), every row is tested.
-#}

{#- The months of var('test_billing_months'), checked; empty when every month is tested. -#}
{% macro test_billing_months() %}
    {%- set months = var('test_billing_months', []) %}
    {%- if months is string %}
        {%- set months = months.split(',') | map('trim') | reject('equalto', '') | list %}
    {%- endif %}
    {%- for month in months %}
        {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', month | string) %}
            {{ exceptions.raise_compiler_error(
                'var test_billing_months: ' ~ (month | string) ~ ' is not a billing month; give a list of YYYY-MM, '
                ~ 'e.g. --vars \'{test_billing_months: ["2026-10"]}\', or leave it unset to test every month') }}
        {%- endif %}
    {%- endfor %}
    {{ return(months | map('string') | list) }}
{% endmacro %}

{#- The billing month column the relation's YAML documents (billing_month or x_BillingMonth), else none. -#}
{% macro billing_month_column(relation) %}
    {%- if execute and relation.identifier is defined %}
        {%- for node in graph.nodes.values()
            if node.resource_type in ('model', 'seed', 'snapshot')
            and (node.alias or node.name) | lower == relation.identifier | lower %}
            {%- for column in node.columns if column | lower in ('billing_month', 'x_billingmonth') %}
                {{ return(column) }}
            {%- endfor %}
        {%- endfor %}
    {%- endif %}
    {{ return(none) }}
{% endmacro %}

{#- The condition that keeps the rows of the tested billing months (`1 = 1` when every month is tested). -#}
{% macro tested_billing_months_in(month_column) %}
    {%- set months = aoai_finops.test_billing_months() %}
    {{ return(aoai_finops.billing_months_in(month_column, {'rebuild': months, 'in_place': false})
        if months else '1 = 1') }}
{% endmacro %}

{#- The relation as a test reads it: the rows of the tested billing months (and `where`, if given), or the
    relation itself when nothing is filtered. month_column: the relation's billing month column, when its YAML
    does not document one under the usual names (staging tables: lake_billing_month). -#}
{% macro tested_rows(relation, where=none, month_column=none) %}
    {%- set conditions = [where] if where else [] %}
    {%- if aoai_finops.test_billing_months() %}
        {%- set month_column = month_column or aoai_finops.billing_month_column(relation) %}
        {%- if month_column %}
            {%- do conditions.append(aoai_finops.tested_billing_months_in(month_column)) %}
        {%- endif %}
    {%- endif %}
    {%- if not conditions %}
        {{ return(relation) }}
    {%- endif %}
    {{ return('(select * from ' ~ relation ~ ' where (' ~ conditions | join(') and (') ~ ')) as tested_rows') }}
{% endmacro %}

{#- dbt's hook for a generic test's `where` config (overridden here, as dbt documents): the tested months too. -#}
{% macro get_where_subquery(relation) %}
    {{ return(aoai_finops.tested_rows(relation, config.get('where', ''))) }}
{% endmacro %}
