{#-
    What the anomaly detector watches: the levels (scopes) of its daily series, the sources they are read from,
    and the child dimensions a root cause is looked for in. Adding a level is one entry in anomaly_levels().
    docs/anomalies.md has the table.

    A level:
      name        scope_level in the marts
      source      a key of anomaly_sources()
      keys        the columns that identify one scope (every level starts with billing_account_id: one currency
                  per billing account, and budgets per billing account)
      scope_id    SQL over the keys: the identifier a budget names (unique within the level)
      scope_name  SQL aggregate: a display name
      metrics     effective_cost (money, with its commitment amortization as the known fixed part), tokens,
                  cost_per_1m_tokens (unit cost: told apart from usage, a price change shows here)
      where       optional row filter on the source
      enabled     false to keep a level defined but unbuilt
-#}
{% macro anomaly_levels() %}
    {%- set allocation = var('anomaly_allocation_levels', false) %}
    {%- set price_point_id -%}
        model_name || ' / ' || model_version || ' / ' || token_type || ' / ' || deployment_type
        || case when is_batch then ' / batch' else '' end
        || case when is_priority then ' / priority' else '' end
        || ' / ' || pricing_category || ' / ' || coalesce(region_id, 'no region')
    {%- endset %}
    {{ return([
        {'name': 'billing_account', 'source': 'ai_costs', 'keys': ['billing_account_id'],
         'scope_id': 'billing_account_id', 'scope_name': 'max(billing_account_name)',
         'metrics': ['effective_cost', 'tokens'], 'enabled': true},
        {'name': 'subscription', 'source': 'ai_costs', 'keys': ['billing_account_id', 'sub_account_id'],
         'scope_id': 'sub_account_id', 'scope_name': 'max(sub_account_name)',
         'metrics': ['effective_cost', 'tokens'], 'enabled': true},
        {'name': 'ai_account', 'source': 'ai_costs', 'keys': ['billing_account_id', 'sub_account_id', 'resource_id'],
         'scope_id': 'resource_id', 'scope_name': 'max(resource_name)',
         'metrics': ['effective_cost', 'tokens'], 'enabled': true},
        {'name': 'model', 'source': 'ai_costs', 'keys': ['billing_account_id', 'model_name'],
         'scope_id': 'model_name', 'scope_name': 'max(model_name)',
         'metrics': ['effective_cost', 'tokens'], 'enabled': true},
        {'name': 'model_token_type', 'source': 'ai_costs', 'keys': ['billing_account_id', 'model_name', 'token_type'],
         'scope_id': "model_name || ' / ' || token_type", 'scope_name': "max(model_name || ' / ' || token_type)",
         'metrics': ['effective_cost', 'tokens'], 'enabled': true},
        {'name': 'price_point', 'source': 'ai_costs', 'where': 'is_token_charge',
         'keys': ['billing_account_id', 'region_id', 'model_name', 'model_version', 'deployment_type', 'token_type',
                  'is_batch', 'is_priority', 'pricing_category'],
         'scope_id': price_point_id, 'scope_name': 'max(' ~ price_point_id ~ ')',
         'metrics': ['cost_per_1m_tokens'], 'enabled': true},
        {'name': 'cost_center', 'source': 'allocation', 'keys': ['billing_account_id', 'cost_center'],
         'scope_id': 'cost_center', 'scope_name': 'max(cost_center)',
         'metrics': ['effective_cost', 'tokens'], 'enabled': allocation},
        {'name': 'application', 'source': 'allocation', 'keys': ['billing_account_id', 'cost_center', 'application'],
         'scope_id': 'application', 'scope_name': "max(application || ' (' || cost_center || ')')",
         'metrics': ['effective_cost', 'tokens'], 'enabled': allocation},
    ] | selectattr('enabled') | list) }}
{% endmacro %}

{#-
    Where levels read their daily facts. Each source maps the columns the series need to its own columns:
    charge_date, effective_cost, committed_cost (the fixed, amortized commitment part of effective_cost),
    tokens, price_effect_cost (effective_cost minus the tokens at their usual unit price), and holds the key
    and root-cause columns its levels name.
    `allocation` is fct_cost_allocation_daily (the allocation issue): switch it on with
    --vars '{anomaly_allocation_levels: true}' once that mart exists.
    That mart has no commitment status: its committed part is the effective cost not billed that day (PTU hours
    covered by a reservation are billed 0; pay-as-you-go is billed as it is used; a purchase has no effective
    cost). PTU amortization split by daily token shares is therefore fixed for the detector at those levels too:
    a cost center's share of a reservation moving between cost centers is not an anomaly, its on-demand cost is.
-#}
{% macro anomaly_sources() %}
    {{ return({
        'ai_costs': {
            'model': 'int_ai_costs_daily_unioned',
            'effective_cost': 'effective_cost',
            'committed_cost': 'committed_cost',
            'tokens': 'tokens',
            'price_effect_cost': 'price_effect_cost',
            'columns': ['charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'region_id',
                        'model_name', 'model_version', 'deployment_type', 'token_type', 'is_batch', 'is_priority',
                        'pricing_category', 'is_token_charge'],
        },
        'allocation': {
            'model': 'fct_cost_allocation_daily',
            'effective_cost': 'allocated_effective_cost',
            'committed_cost': 'greatest(allocated_effective_cost - allocated_billed_cost, 0)',
            'tokens': 'allocated_tokens',
            'price_effect_cost': 'cast(0 as double)',
            'columns': ['charge_date', 'billing_account_id', 'sub_account_id', 'resource_id', 'model_name',
                        'token_type', 'cost_center', 'application'],
        },
    }) }}
{% endmacro %}

{#- The AI charges of focus_costs other than tokens (PTU hours, fine-tuning hosting, ...): their tokens are in
    fct_ai_token_costs_daily. -#}
{% macro other_ai_charges_filter() %}
    {{ return("x_AiIsAiMeter and coalesce(x_AiChargeKind, 'tokens') <> 'tokens'") }}
{% endmacro %}

{#-
    The child dimensions a root cause is looked for in, in the order the mart shows them. A dimension is read
    from the anomaly's own source when that source has it, else from another source that has the column and
    every key of the level (application comes from the allocation mart for the cost levels too).
-#}
{% macro anomaly_root_cause_dimensions() %}
    {%- set allocation = var('anomaly_allocation_levels', false) %}
    {#- Azure OpenAI account names are globally unique (they are the endpoint's subdomain): the name is the id. #}
    {%- set account = dbt.split_part('resource_id', "'/'", -1) %}
    {{ return([
        {'name': 'ai_account', 'column': 'resource_id', 'child': account, 'sources': ['ai_costs', 'allocation'],
         'enabled': true},
        {'name': 'model', 'column': 'model_name', 'child': 'model_name', 'sources': ['ai_costs', 'allocation'],
         'enabled': true},
        {'name': 'token_type', 'column': 'token_type', 'child': 'token_type', 'sources': ['ai_costs', 'allocation'],
         'enabled': true},
        {'name': 'deployment_type', 'column': 'deployment_type', 'child': 'deployment_type', 'sources': ['ai_costs'],
         'enabled': true},
        {'name': 'application', 'column': 'application', 'child': 'application', 'sources': ['allocation'],
         'enabled': allocation},
    ]) }}
{% endmacro %}

{#- The typed scope columns of the series and the mart: a level fills those among its keys, the others are null. -#}
{% macro anomaly_scope_columns() %}
    {{ return(['billing_account_id', 'sub_account_id', 'resource_id', 'model_name', 'token_type', 'deployment_type',
               'cost_center', 'application']) }}
{% endmacro %}

{#- The text a scope key hashes: the level's name and its key values (of the relation, when named), null-safe
    ('(null)') and typed alike on every engine (booleans become 'true' / 'false'). -#}
{% macro anomaly_scope_key(level, relation=none) %}
    {%- set parts = ["'" ~ level.name ~ "'"] %}
    {%- for column in level['keys'] %}
        {%- set column = relation ~ '.' ~ column if relation else column %}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '(null)')") %}
    {%- endfor %}
    {{ return(parts | join(" || '|' || ")) }}
{% endmacro %}

{#-
    anomaly_scope_days(level, filter=none): the select of a level's daily sums, one row per scope and charge date,
    from its source (the rows `filter` keeps, when given): the series columns of int_anomaly_series_daily before
    zero-filling. int_anomaly_scope_days_aggregated stores those of the ai_costs levels by charge month;
    int_anomaly_series_daily sums the allocation levels itself: their source changes with the allocation, not with
    the AI charge months, and their short keys group in about a second at 20 million rows.
-#}
{% macro anomaly_scope_days(level, filter=none) %}
    {%- set source = aoai_finops.anomaly_sources()[level.source] %}
    {%- set filters = [level.where, filter] | select | list %}
    select
        '{{ level.name }}' as scope_level,
        {{ dbt.hash(aoai_finops.anomaly_scope_key(level)) }} as scope_key,
        {% for column in aoai_finops.anomaly_scope_columns() -%}
        {{ 'cast(' ~ column ~ ' as string)' if column in level['keys'] else 'cast(null as string)' }} as {{ column }},
        {% endfor -%}
        {{ level.scope_id }} as scope_id,
        {{ level.scope_name }} as scope_name,
        charge_date,
        sum({{ source.effective_cost }}) as effective_cost,
        sum({{ source.committed_cost }}) as committed_cost,
        sum({{ source.tokens }}) as tokens,
        sum({{ source.price_effect_cost }}) as price_effect_cost
    from {{ ref(source.model) }}
    {%- if filters %}
    where {{ filters | join(' and ') }}
    {%- endif %}
    group by
        {{ level['keys'] | join(',\n        ') }},
        charge_date
{%- endmacro %}

{#-
    anomaly_scope_join(level, series, facts): the join of a level's series to the rows of its source. `series`
    has the series' scope_key and its scope columns as scope_<column>. The join is on those columns when they
    hold every key of the level: hashing the scope key of every fact row (millions of rows at scale, once per
    level) cost more than the rest of the root causes.
-#}
{% macro anomaly_scope_join(level, series, facts) %}
    {%- if level['keys'] | reject('in', aoai_finops.anomaly_scope_columns()) | list | length == 0 %}
        {%- set conditions = [] %}
        {%- for column in level['keys'] %}
            {%- do conditions.append(series ~ '.scope_' ~ column ~ ' is not distinct from ' ~ facts ~ '.' ~ column) %}
        {%- endfor %}
        {{- return(conditions | join('\n            and ')) }}
    {%- endif %}
    {{- return(series ~ '.scope_key = ' ~ dbt.hash(aoai_finops.anomaly_scope_key(level, facts))) }}
{% endmacro %}

{#-
    anomaly_severity(impact): low / medium / high / critical from the absolute daily cost impact, in billing
    currency, against var('anomaly_severity_thresholds') (defaults: medium 50, high 250, critical 1000).
-#}
{% macro anomaly_severity(impact) %}
    {%- set thresholds = var('anomaly_severity_thresholds', {'medium': 50, 'high': 250, 'critical': 1000}) %}
    {%- if not (thresholds.medium | float <= thresholds.high | float <= thresholds.critical | float) %}
        {{ exceptions.raise_compiler_error('anomaly_severity_thresholds must rise: medium <= high <= critical, got '
            ~ thresholds) }}
    {%- endif %}
    case
        when abs({{ impact }}) >= cast({{ thresholds.critical }} as double) then 'critical'
        when abs({{ impact }}) >= cast({{ thresholds.high }} as double) then 'high'
        when abs({{ impact }}) >= cast({{ thresholds.medium }} as double) then 'medium'
        else 'low'
    end
{%- endmacro %}

{#-
    anomaly_root_cause_plans(): what int_anomaly_root_causes computes, one entry per level and dimension:
    {level, dimension, source, child}. A dimension is read from the level's own source when that source has it,
    else from another source that has the dimension and every key of the level; `combination` concatenates the
    level's own source's dimensions (account / model / token type / deployment type).
-#}
{% macro anomaly_root_cause_plans() %}
    {%- set sources = aoai_finops.anomaly_sources() %}
    {%- set dimensions = aoai_finops.anomaly_root_cause_dimensions() | selectattr('enabled') | list %}
    {%- set plans = [] %}
    {%- for level in aoai_finops.anomaly_levels() %}
        {%- for dimension in dimensions %}
            {%- set ns = namespace(source=none) %}
            {%- for name in [level.source] + dimension.sources %}
                {%- if ns.source is none and name in dimension.sources
                    and (level['keys'] | reject('in', sources[name].columns) | list | length == 0) %}
                    {%- set ns.source = name %}
                {%- endif %}
            {%- endfor %}
            {%- if ns.source is not none %}
                {%- do plans.append({'level': level, 'dimension': dimension.name, 'source': ns.source,
                                     'child': dimension.child}) %}
            {%- endif %}
        {%- endfor %}
        {%- set parts = [] %}
        {%- for dimension in dimensions if level.source in dimension.sources %}
            {%- do parts.append("coalesce(cast(" ~ dimension.child ~ " as " ~ dbt.type_string() ~ "), '-')") %}
        {%- endfor %}
        {%- do plans.append({'level': level, 'dimension': 'combination', 'source': level.source,
                             'child': parts | join(" || ' / ' || ")}) %}
    {%- endfor %}
    {{ return(plans) }}
{% endmacro %}

{#-
    anomaly_root_cause_scans(plans): the plans grouped by level and source, [{name, level, source, plans}], so
    that int_anomaly_root_causes reads the facts of a level's anomaly days once, sums them by all its children at
    once, then by each child: a scan per plan hashed the scope key of every fact row once per dimension.
-#}
{% macro anomaly_root_cause_scans(plans) %}
    {%- set scans = [] %}
    {%- for plan in plans %}
        {%- set name = plan.level.name ~ '__' ~ plan.source %}
        {%- if name not in scans | map(attribute='name') | list %}
            {%- do scans.append({'name': name, 'level': plan.level, 'source': plan.source, 'plans': []}) %}
        {%- endif %}
        {%- for scan in scans if scan.name == name %}
            {%- do scan.plans.append(plan) %}
        {%- endfor %}
    {%- endfor %}
    {{ return(scans) }}
{% endmacro %}
