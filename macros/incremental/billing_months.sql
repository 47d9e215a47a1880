{#-
    Incremental models by billing month (docs/incremental.md has the pattern and how to adopt it).

    An incremental model keeps, on every row, the state of its billing month when the row was built:
      - `<ingested_at_column>`: the newest ingestion-log entry that changed the month's loaded runs
        (int_lake_billing_months.ingested_at: a run loaded, replaced, recovered or retired);
      - optionally `<checksum_column>`: seeds_checksum(), the content of every seed the build used.
    On an incremental run billing_month_plan() compares them with the lake and returns:
      - rebuild: the months to select (complete) in the model: new in the lake, changed since they were built,
        built with other seeds, or built before the state columns existed;
      - remove: the months the table holds and the lake no longer does (a pre-hook deletes them).
    A model whose months also depend on inputs the ingestion log does not see (allocation: tags and telemetry
    of other months) names its own months model (`months_model`: billing_month, ingested_at, fingerprint) and
    keeps the month's fingerprint on every row too (`fingerprint_column`); a month whose fingerprint changed is
    rebuilt as well. A months model whose fingerprint holds the month's whole state needs no
    `ingested_at_column`.
    A model whose months depend on the months before them (the anomaly detector's history, a usual price) rebuilds
    every month after a changed or removed one too (`later_months_too`).
    Use it through incremental_by_billing_month() (the config) and billing_month_filter() (the where clause):

        -- depends_on: {{ ref('int_lake_billing_months') }}
        {{ config(materialized='incremental',
                  **aoai_finops.incremental_by_billing_month('billing_month', 'billing_month_ingested_at')) }}
        ...
        where {{ aoai_finops.billing_month_filter('billing_month', 'billing_month_ingested_at') }}
-#}

{#- The config of a model incremental by billing month: incremental_by_partition() (delete+insert on DuckDB,
    insert_overwrite of partitions on Spark), new columns appended, the pre-hook that removes the months the lake
    no longer has, and the post-hook that writes the months in place where the engine does
    (insert_billing_months_in_place, builds_months_in_place()). one_month_at_a_time: one statement per month, on
    full builds too. -#}
{% macro incremental_by_billing_month(
    month_column, ingested_at_column=none, checksum_column=none, fingerprint_column=none,
    months_model='int_lake_billing_months', one_month_at_a_time=false, later_months_too=false
) %}
    {%- set hook_arguments = [] %}
    {%- for argument in [month_column, ingested_at_column, checksum_column, fingerprint_column, months_model] %}
        {%- do hook_arguments.append("'" ~ argument ~ "'" if argument else 'none') %}
    {%- endfor %}
    {%- do hook_arguments.append('later_months_too=' ~ later_months_too) %}
    {%- set config = aoai_finops.incremental_by_partition(month_column) %}
    {%- do config.update({
        'on_schema_change': 'append_new_columns',
        'pre_hook': ['{{ aoai_finops.remove_billing_months(' ~ hook_arguments | join(', ') ~ ') }}'],
        'post_hook': ["{{ aoai_finops.insert_billing_months_in_place('" ~ month_column ~ "', '" ~ months_model
            ~ "', one_month_at_a_time=" ~ one_month_at_a_time ~ ') }}'],
    }) %}
    {{ return(config) }}
{% endmacro %}

{#- md5 over every seed's file checksum: changes when any seed's content changes (prices, mappings, rules). -#}
{% macro seeds_checksum() %}
    {%- set parts = [] %}
    {#- Unit tests compile models without the project graph: no seeds to sum there. -#}
    {%- if execute and graph.nodes is defined %}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') %}
            {%- if node.resource_type == 'seed' %}
                {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) %}
            {%- endif %}
        {%- endfor %}
    {%- endif %}
    {{ return(local_md5(parts | join(','))) }}
{% endmacro %}

{#- {'rebuild': [months], 'remove': [months], 'replace_all': bool, 'in_place': bool}; rebuild is none when every
    month is selected: the model is not built incrementally (first build, --full-refresh), or its table has no
    month column yet (replace_all: the pre-hook empties it first). in_place: the model's own statement selects no
    month (billing_months_in) and its post-hook writes the months to rebuild (insert_billing_months_in_place): on
    an incremental run with months to rebuild, and with one_month_at_a_time on every build, where the engine builds
    months in place (builds_months_in_place()). -#}
{% macro billing_month_plan(
    month_column, ingested_at_column=none, checksum_column=none, fingerprint_column=none,
    months_model='int_lake_billing_months', one_month_at_a_time=false, later_months_too=false, quiet=false
) %}
    {#- Unit tests render the model alone: its rows come from its own statement. -#}
    {%- set in_place = aoai_finops.builds_months_in_place() and model.resource_type != 'unit_test' %}
    {%- set every_month = {'rebuild': none, 'remove': [], 'in_place': in_place and one_month_at_a_time} %}
    {#- A unit test has no table of its own (`this` is none): it renders the model as a full build. -#}
    {%- if not execute or model.resource_type == 'unit_test' or not is_incremental() %}
        {{ return(dict(every_month, replace_all=false)) }}
    {%- endif %}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
    {%- if month_column | lower not in existing %}
        {#- A table built before it had the month column: its rows cannot be replaced by month. -#}
        {%- do log('billing months of ' ~ this ~ ': no ' ~ month_column ~ ' column yet, every row replaced',
            info=not quiet) %}
        {{ return(dict(every_month, replace_all=true)) }}
    {%- endif %}
    {%- set has_state = (ingested_at_column is none or ingested_at_column | lower in existing)
        and (checksum_column is none or checksum_column | lower in existing)
        and (fingerprint_column is none or fingerprint_column | lower in existing) %}
    {%- set checksum = aoai_finops.sql_string_literal(aoai_finops.seeds_checksum()) %}
    {%- set query %}
        with lake_months as (
            select
                billing_month,
                {{ 'ingested_at' if ingested_at_column else 'cast(null as timestamp)' }} as ingested_at,
                {{ 'fingerprint' if fingerprint_column else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                    as fingerprint
            from {{ ref(months_model) }}
        ),

        built_months as (
            select
                {{ month_column }} as billing_month,
                {%- if has_state and ingested_at_column %}
                min({{ ingested_at_column }}) as min_ingested_at,
                max({{ ingested_at_column }}) as max_ingested_at,
                {%- else %}
                cast(null as timestamp) as min_ingested_at,
                cast(null as timestamp) as max_ingested_at,
                {%- endif %}
                {%- if has_state %}
                {%- if checksum_column %}
                min({{ checksum_column }}) = {{ checksum }} and max({{ checksum_column }}) = {{ checksum }}
                    as is_same_checksum,
                {%- else %}
                true as is_same_checksum,
                {%- endif %}
                {%- if fingerprint_column %}
                min({{ fingerprint_column }}) as min_fingerprint,
                max({{ fingerprint_column }}) as max_fingerprint
                {%- else %}
                cast(null as {{ dbt.type_string() }}) as min_fingerprint,
                cast(null as {{ dbt.type_string() }}) as max_fingerprint
                {%- endif %}
                {%- else %}
                false as is_same_checksum,
                cast(null as {{ dbt.type_string() }}) as min_fingerprint,
                cast(null as {{ dbt.type_string() }}) as max_fingerprint
                {%- endif %}
            from {{ this }}
            group by {{ month_column }}
        )

        select
            coalesce(lake_months.billing_month, built_months.billing_month) as billing_month,
            lake_months.billing_month is null as is_removed
        from lake_months
        full outer join built_months
            on lake_months.billing_month = built_months.billing_month
        where not coalesce(
            {%- if ingested_at_column %}
            built_months.min_ingested_at = lake_months.ingested_at
            and built_months.max_ingested_at = lake_months.ingested_at
            and {% endif %}built_months.is_same_checksum
            and (
                (lake_months.fingerprint is null and built_months.max_fingerprint is null)
                or (
                    built_months.min_fingerprint = lake_months.fingerprint
                    and built_months.max_fingerprint = lake_months.fingerprint
                )
            ),
            false
        )
        order by 1
    {%- endset %}
    {%- set rows = run_query(query).rows %}
    {%- set plan = {'rebuild': [], 'remove': [], 'replace_all': false, 'in_place': in_place} %}
    {%- for row in rows %}
        {%- do plan['remove' if row[1] else 'rebuild'].append(row[0] | string) %}
    {%- endfor %}
    {#- A removed month changes the months after it as much as a changed one. -#}
    {%- if later_months_too and (plan.rebuild or plan.remove) %}
        {%- set first_changed = (plan.rebuild[:1] + plan.remove[:1]) | min %}
        {%- set later = run_query(
            'select billing_month from ' ~ ref(months_model) ~ ' where billing_month > '
            ~ aoai_finops.sql_string_literal(first_changed) ~ ' order by 1'
        ).columns[0].values() | map('string') | list %}
        {%- do plan.update({'rebuild': (plan.rebuild + later) | unique | sort | list}) %}
    {%- endif %}
    {%- do log('billing months of ' ~ this ~ ': rebuild ' ~ (plan.rebuild | join(', ') or 'none') ~ '; remove '
        ~ (plan.remove | join(', ') or 'none'), info=not quiet) %}
    {{ return(plan) }}
{% endmacro %}

{#- The where clause of an incremental model: every row on a full build, only the months to rebuild on an
    incremental one (a literal list, so both engines prune files and row groups early). `filtered_column`: the
    month column of the relation filtered, when it is not the model's own (e.g. lake_billing_month upstream). -#}
{% macro billing_month_filter(month_column, ingested_at_column, checksum_column=none, filtered_column=none) %}
    {%- set plan = aoai_finops.billing_month_plan(month_column, ingested_at_column, checksum_column) %}
    {{ return(aoai_finops.billing_months_in(filtered_column or month_column, plan)) }}
{% endmacro %}

{#- The where clause for a plan computed once (a model filtering several relations). Built in place, the months
    are a placeholder the post-hook fills in (insert_billing_months_in_place). -#}
{% macro billing_months_in(column, plan) %}
    {%- if plan.rebuild is not none and plan.rebuild | length == 0 %}
        {{ return('1 = 0') }}
    {%- elif plan.in_place %}
        {%- set placeholder = aoai_finops.month_placeholder(plan.rebuild) %}
        {{ return(column ~ ' in (' ~ aoai_finops.sql_string_literal(placeholder) ~ ')') }}
    {%- elif plan.rebuild is none %}
        {{ return('1 = 1') }}
    {%- endif %}
    {%- set literals = [] %}
    {%- for month in plan.rebuild %}{% do literals.append(aoai_finops.sql_string_literal(month)) %}{% endfor %}
    {{ return(column ~ ' in (' ~ literals | join(', ') ~ ')') }}
{% endmacro %}

{#- Pre-hook: delete the months the lake no longer holds (delete+insert and insert_overwrite only replace the
    months the new rows have), or every row of a table built before it had the month column. Where the model's
    statement writes the months (not built in place: Spark), the months to rebuild go too: a month rebuilt into no
    rows must not keep its old ones. -#}
{% macro remove_billing_months(
    month_column, ingested_at_column, checksum_column=none, fingerprint_column=none,
    months_model='int_lake_billing_months', later_months_too=false
) %}
    {%- set plan = aoai_finops.billing_month_plan(
        month_column, ingested_at_column, checksum_column, fingerprint_column, months_model,
        later_months_too=later_months_too, quiet=true) %}
    {%- set months = plan.remove + ([] if plan.in_place else plan.rebuild or []) %}
    {%- if plan.replace_all %}
        {{ return(aoai_finops.empty_table(this)) }}
    {%- elif months %}
        {{ return(aoai_finops.delete_partitions(this, month_column, months | sort)) }}
    {%- endif %}
    {{ return('') }}
{% endmacro %}

{#- Never a billing month: the model's own statement selects no row, and creates or widens its table. It names the
    months its post-hook builds (insert_billing_months_in_place), so that the hook builds what the statement was
    planned for, whatever the pre-hook removed since: `months built in place: 2026-09, 2026-10`, or `every month`
    (every month of the months model, on a full build one month at a time). -#}
{% macro month_placeholder(months=none) %}
    {{ return('months built in place: ' ~ (months | join(', ') if months is not none else 'every month')) }}
{% endmacro %}

{#-
    Post-hook of a model whose months are built in place (billing_month_plan's in_place): delete the months its
    statement was planned for (the placeholder names them) and insert the model's rows of those months straight into
    the table, in the model's transaction (a failure leaves the table as it was). With one_month_at_a_time, one month
    per statement.
    Why in place: dbt-duckdb's incremental materialization writes the new rows to a temporary table and then copies
    them into the model's table; a month of focus_costs written once instead of twice (docs/benchmarks.md).
    Why one month at a time: a month is a twelfth of the work, and what one statement holds at once is what DuckDB
    has to spill. focus_costs_allocated joins every AI cost row, all columns, to its splits; in one statement the
    join's hash table of 20M wide rows spilled 41 GB to disk; a month at a time, none.
-#}
{% macro insert_billing_months_in_place(month_column, months_model, one_month_at_a_time=false) %}
    {%- set prefix = aoai_finops.month_placeholder([]) %}
    {%- set pattern = "'" ~ modules.re.escape(prefix) ~ "[^']*'" %}
    {%- set placeholders = modules.re.findall(pattern, model.compiled_code) if execute else [] %}
    {%- if not placeholders %}
        {{ return('') }}
    {%- endif %}
    {%- set planned = placeholders[0][1:-1] %}
    {%- if planned == aoai_finops.month_placeholder() %}
        {%- set months = run_query('select billing_month from ' ~ ref(months_model) ~ ' order by 1')
            .columns[0].values() | map('string') | list %}
    {%- else %}
        {%- set months = planned[prefix | length:].split(', ') %}
    {%- endif %}
    {%- set batches = [] %}
    {%- if one_month_at_a_time %}
        {%- for month in months %}{% do batches.append([month]) %}{% endfor %}
    {%- elif months %}
        {%- do batches.append(months) %}
    {%- endif %}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | join(', ') %}
    {%- for batch in batches %}
        {%- set literals = [] %}
        {%- for month in batch %}{% do literals.append(aoai_finops.sql_string_literal(month)) %}{% endfor %}
        {%- do run_query(aoai_finops.delete_partitions(this, month_column, batch)) %}
        {%- do run_query(
            'insert into ' ~ this ~ ' (' ~ columns ~ ')\nselect ' ~ columns ~ ' from (\n'
            ~ modules.re.sub(pattern, literals | join(', '), model.compiled_code) ~ '\n) as month_rows'
        ) %}
        {%- do log('billing months of ' ~ this ~ ': built ' ~ batch | join(', ')
            ~ ' (' ~ loop.index ~ ' of ' ~ loop.length ~ ')') %}
    {%- endfor %}
    {{ return('') }}
{% endmacro %}

{#-
    lake_month_states_by_first_charge_month(states, state_columns, charge_months): one row per lake billing month of
    `states` (a relation with billing_month and the state_columns), its state (billing_month, month_state: a
    surrogate key of the month and its state columns) filed under the first calendar month its charges fall in.
    `charge_months` (lake_billing_month, billing_month) lists the calendar months of each lake month's charges.
    For models rebuilt from the first changed calendar month on (later_months_too): a lake month's charges are in
    that month or later ones.
-#}
{% macro lake_month_states_by_first_charge_month(states, state_columns, charge_months) %}
    {%- set state_key = ['states.billing_month'] %}
    {%- for column in state_columns %}{% do state_key.append('states.' ~ column) %}{% endfor -%}
select
    min(charge_months.billing_month) as billing_month,
    {{ aoai_finops.surrogate_key(state_key) }} as month_state
from {{ states }} as states
inner join {{ charge_months }} as charge_months
    on states.billing_month = charge_months.lake_billing_month
group by
    {{ state_key | join(',\n    ') }}
{%- endmacro %}
