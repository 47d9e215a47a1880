{#-
    register_lake_sources(): create one relation per lake source table, `<source schema>.<identifier>`
    (`lake.focus_cost`, ...), so that `source('cost_exports', 'focus_cost')` resolves the same way on every engine.

    Called by the `on-run-start` hook in dbt_project.yml, so every `dbt build/run/test/seed` refreshes it.
    For `dbt show` or an ad-hoc query before any build: `dbt run-operation register_lake_sources`.

    A lake source table is a source table with `meta.lake_folder` (its folder under the lake); the lake is
    var('lake_path'), which defaults to $AOAI_FINOPS_LAKE, else data/lake (the loader's default).
    Every file `<lake>/<lake_folder>/**/*.parquet` belongs to the table, at any depth; folder names are not
    read (they are not `key=value`, and the lineage columns are in the files). docs/portability.md has more.

    - DuckDB (default__): a view over read_parquet(...) in the warehouse file.
    - Spark (spark__, which dbt-databricks falls back to): an external (unmanaged) Parquet table over the
      folder with recursiveFileLookup (no partition discovery), dropped and re-created on every run so its
      schema follows the lake. Dropping an external table never deletes its files; a managed table of the same
      name is refused, not dropped.
-#}
{% macro register_lake_sources() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set schemas = [] %}
    {% for node in graph.sources.values() | sort(attribute='unique_id') %}
        {% set folder = node.meta.get('lake_folder') %}
        {% if folder %}
            {% set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier) %}
            {% if relation.without_identifier() | string not in schemas %}
                {% do adapter.create_schema(relation) %}
                {% do schemas.append(relation.without_identifier() | string) %}
            {% endif %}
            {% set lake = var('lake_path') | string %}
            {% do log('register_lake_sources: ' ~ relation ~ ' -> ' ~ lake ~ '/' ~ folder, info=false) %}
            {% do adapter.dispatch('register_lake_table', 'aoai_finops')(relation, lake.rstrip('/'), folder) %}
        {% endif %}
    {% endfor %}
    {% if target.type == 'duckdb' %}{% do adapter.commit() %}{% endif %}
    {{ return('') }}
{% endmacro %}

{% macro default__register_lake_table(relation, lake, folder) %}
    {% call statement('register_lake_table', fetch_result=false) %}
        create or replace view {{ relation }} as
        select *
        from read_parquet(
            {{ aoai_finops.sql_string_literal(lake ~ '/' ~ folder ~ '/**/*.parquet') }},
            hive_partitioning = false,
            union_by_name = true
        )
    {% endcall %}
{% endmacro %}

{% macro spark__register_lake_table(relation, lake, folder) %}
    {% set location = aoai_finops.absolute_lake_path(lake) ~ '/' ~ folder %}
    {% do aoai_finops.drop_external_table_if_exists(relation) %}
    {% call statement('register_lake_table', fetch_result=false) %}
        create table {{ relation }}
        using parquet
        options (
            path {{ aoai_finops.sql_string_literal(location) }},
            recursiveFileLookup 'true',
            pathGlobFilter '*.parquet',
            mergeSchema 'true'
        )
    {% endcall %}
{% endmacro %}

{#- Drop `relation` if it exists, refusing to drop a managed table (that would delete its data). -#}
{% macro drop_external_table_if_exists(relation) %}
    {% set found = run_query('show tables in ' ~ relation.schema ~ " like '" ~ relation.identifier ~ "'") %}
    {% if found | length == 0 %}{{ return(none) }}{% endif %}
    {% set table_type = [] %}
    {% for row in run_query('describe table extended ' ~ relation) %}
        {% if row[0] == 'Type' %}{% do table_type.append(row[1] | upper) %}{% endif %}
    {% endfor %}
    {% if table_type and table_type[0] not in ('EXTERNAL', 'VIEW') %}
        {{ exceptions.raise_compiler_error(
            'register_lake_sources: ' ~ relation ~ ' exists and is a ' ~ table_type[0] ~ ' table, not an external '
            ~ 'table over the lake. Drop it yourself (its data would be deleted) or set var lake_schema.') }}
    {% endif %}
    {% do run_query('drop ' ~ ('view' if table_type and table_type[0] == 'VIEW' else 'table') ~ ' if exists ' ~ relation) %}
{% endmacro %}

{#-
    The lake path as an absolute path or URI. Spark resolves a relative table location against the schema's
    location in the warehouse, not the working directory, so a relative lake path (the default `data/lake`)
    is made absolute against the driver's working directory, which is where dbt runs (DuckDB resolves a
    relative path the same way).
-#}
{% macro absolute_lake_path(path) %}
    {% if path.startswith('/') or ':' in path %}
        {{ return(path) }}
    {% endif %}
    {% set cwd = run_query("select reflect('java.lang.System', 'getProperty', 'user.dir')").columns[0].values()[0] %}
    {% set relative = path[2:] if path.startswith('./') else path %}
    {{ return(cwd.rstrip('/') ~ '/' ~ relative) }}
{% endmacro %}
