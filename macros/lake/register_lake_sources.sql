{#-
    register_lake_sources(): make every lake source resolvable on the current engine.

    Called by the `on-run-start` hook in dbt_project.yml (and usable as `dbt run-operation register_lake_sources`).
    A lake source table is any source table with `meta.lake_folder` (its folder under `var('lake_path')`); see
    models/staging/cost_exports/_cost_exports__sources.yml and docs/portability.md.

    - DuckDB (default__): nothing to do; dbt-duckdb renders `meta.external_location` in place of the relation.
    - Spark (spark__, also used by dbt-databricks, which falls back to spark__): one external (unmanaged) Parquet
      table per source table, `<source schema>.<identifier>`, over `<lake>/<lake_folder>` with
      `recursiveFileLookup` (the month/scope folders are not `key=value`, so no partition discovery) and
      `pathGlobFilter '*.parquet'`. The table is dropped and re-created on every run so its schema follows the
      lake; dropping an external table never deletes its files.
-#}
{% macro register_lake_sources() %}
    {{ return(adapter.dispatch('register_lake_sources', 'aoai_finops')()) }}
{% endmacro %}

{% macro default__register_lake_sources() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__register_lake_sources() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set created_schemas = [] %}
    {% for node in graph.sources.values() | sort(attribute='unique_id') %}
        {% set folder = node.meta.get('lake_folder') %}
        {% if folder %}
            {#- meta.lake_path comes from the source YAML, so both engines read the same folder. -#}
            {% set lake = aoai_finops.absolute_lake_path(node.meta.get('lake_path') or var('lake_path')) %}
            {% set relation = api.Relation.create(schema=node.schema, identifier=node.identifier) %}
            {% if node.schema not in created_schemas %}
                {% do run_query('create schema if not exists ' ~ adapter.quote(node.schema)) %}
                {% do created_schemas.append(node.schema) %}
            {% endif %}
            {% set location = lake ~ '/' ~ folder %}
            {% do log('register_lake_sources: ' ~ relation ~ ' -> ' ~ location, info=false) %}
            {% do aoai_finops.drop_external_table_if_exists(relation) %}
            {% call statement('register_' ~ node.identifier, fetch_result=false) %}
                create table {{ relation }}
                using parquet
                options (
                    path '{{ aoai_finops.spark_string_escape(location) }}',
                    recursiveFileLookup 'true',
                    pathGlobFilter '*.parquet'
                )
            {% endcall %}
        {% endif %}
    {% endfor %}
    {{ return('') }}
{% endmacro %}

{#- Drop `relation` if it exists, refusing to drop a managed table (that would delete its data). -#}
{% macro drop_external_table_if_exists(relation) %}
    {% set found = run_query('show tables in ' ~ adapter.quote(relation.schema) ~ " like '" ~ relation.identifier ~ "'") %}
    {% if found | length == 0 %}{{ return(none) }}{% endif %}
    {% set described = run_query('describe table extended ' ~ relation) %}
    {% set table_type = [] %}
    {% for row in described %}
        {% if row[0] == 'Type' %}{% do table_type.append(row[1] | upper) %}{% endif %}
    {% endfor %}
    {% if table_type and table_type[0] not in ('EXTERNAL', 'VIEW') %}
        {{ exceptions.raise_compiler_error(
            'register_lake_sources: ' ~ relation ~ ' exists and is a ' ~ table_type[0] ~ ' table, not an external '
            ~ 'table over the lake; drop it yourself (its data would be deleted) or change the source schema '
            ~ '(var lake_schema)') }}
    {% endif %}
    {% do run_query('drop ' ~ ('view' if table_type and table_type[0] == 'VIEW' else 'table') ~ ' if exists ' ~ relation) %}
{% endmacro %}

{#-
    The lake path as an absolute path or URI. Spark resolves a relative table location against the schema's
    location in the warehouse, not the working directory, so a relative `lake_path` (the default `data/lake`)
    is made absolute against the driver's working directory, which is where dbt runs (the DuckDB target
    resolves it the same way).
-#}
{% macro absolute_lake_path(path) %}
    {% set path = path | string %}
    {% if path.startswith('/') or ':' in path %}
        {{ return(path.rstrip('/')) }}
    {% endif %}
    {% set cwd = run_query("select reflect('java.lang.System', 'getProperty', 'user.dir')").columns[0].values()[0] %}
    {% set relative = path[2:] if path.startswith('./') else path %}
    {{ return((cwd.rstrip('/') ~ '/' ~ relative).rstrip('/')) }}
{% endmacro %}

