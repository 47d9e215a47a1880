{#-
    Dates and timestamps. Timestamps are UTC wall-clock values without a time zone on both engines
    (DuckDB TIMESTAMP; Spark TIMESTAMP with spark.sql.session.timeZone=UTC, set in profiles.yml).
-#}

{#- day_of_week_iso(date_or_timestamp): integer, 1 = Monday ... 7 = Sunday. (DuckDB dayofweek and Spark
    dayofweek disagree: 0 = Sunday vs 1 = Sunday.) -#}
{% macro day_of_week_iso(date) %}
    {{ return(adapter.dispatch('day_of_week_iso', 'aoai_finops')(date)) }}
{% endmacro %}

{% macro default__day_of_week_iso(date) -%}
    cast(isodow({{ date }}) as integer)
{%- endmacro %}

{% macro spark__day_of_week_iso(date) -%}
    cast(weekday({{ date }}) + 1 as int)
{%- endmacro %}

{#- month_string(date_or_timestamp): 'YYYY-MM', the format of lake_billing_month. -#}
{% macro month_string(date) %}
    {{ return(adapter.dispatch('month_string', 'aoai_finops')(date)) }}
{% endmacro %}

{% macro default__month_string(date) -%}
    strftime({{ date }}, '%Y-%m')
{%- endmacro %}

{% macro spark__month_string(date) -%}
    date_format({{ date }}, 'yyyy-MM')
{%- endmacro %}

{#-
    parse_timestamp(value, format): a string to a timestamp, null when it does not parse (never an error).

    `format` is a literal in one neutral notation, translated for each engine:
      'iso'  ISO 8601 as Azure writes it: 2024-05-01, 2024-05-01T00:00:00, ...00:00:00Z,
             ...00:00:00.0000000Z, ...00:00:00+02:00. A UTC offset is applied (the result is UTC);
             without one the value is taken as UTC.
      else   tokens YYYY MM DD HH24 MI SS (any other character is literal), e.g. 'MM/DD/YYYY' (ActualCost
             CSV dates) or 'YYYY-MM-DD HH24:MI:SS'. Month, day and hour also parse without a leading zero
             (5/1/2024). The whole string must match: '05/01/2024 00:00:00' does not parse as 'MM/DD/YYYY'.
-#}
{% macro parse_timestamp(value, format) %}
    {{ return(adapter.dispatch('parse_timestamp', 'aoai_finops')(value, format)) }}
{% endmacro %}

{#- Translate a neutral format to the engine's tokens: a list of (neutral, engine) pairs, longest first. -#}
{% macro _translate_format(format, tokens) %}
    {% set ns = namespace(out='', rest=format) %}
    {% for _ in range(format | length) %}
        {% if ns.rest | length > 0 %}
            {% set matched = namespace(found=false) %}
            {% for neutral, engine in tokens %}
                {% if not matched.found and ns.rest.startswith(neutral) %}
                    {% set ns.out = ns.out ~ engine %}
                    {% set ns.rest = ns.rest[neutral | length:] %}
                    {% set matched.found = true %}
                {% endif %}
            {% endfor %}
            {% if not matched.found %}
                {% if ns.rest[0] in 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%\'\\' %}
                    {{ exceptions.raise_compiler_error("parse_timestamp: unsupported format " ~ format
                        ~ " (tokens: YYYY MM DD HH24 MI SS, or 'iso')") }}
                {% endif %}
                {% set ns.out = ns.out ~ ns.rest[0] %}
                {% set ns.rest = ns.rest[1:] %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {{ return(ns.out) }}
{% endmacro %}

{% macro default__parse_timestamp(value, format) -%}
    {%- if format | lower == 'iso' -%}
    case
        when regexp_matches({{ value }}, '[T ][0-9:.]+[+-][0-9][0-9]:?[0-9][0-9]$')
            then cast(timezone('UTC', try_cast({{ value }} as timestamptz)) as timestamp)
        else try_cast({{ value }} as timestamp)
    end
    {%- else -%}
    {%- set tokens = [('YYYY', '%Y'), ('HH24', '%H'), ('MM', '%m'), ('DD', '%d'), ('MI', '%M'), ('SS', '%S')] -%}
    try_strptime({{ value }}, '{{ aoai_finops._translate_format(format, tokens) }}')
    {%- endif -%}
{%- endmacro %}

{% macro spark__parse_timestamp(value, format) -%}
    {%- if format | lower == 'iso' -%}
    try_to_timestamp({{ value }})
    {%- else -%}
    {#- Single letters parse one or two digits (MM would insist on two). -#}
    {%- set tokens = [('YYYY', 'yyyy'), ('HH24', 'H'), ('MM', 'M'), ('DD', 'd'), ('MI', 'mm'), ('SS', 'ss')] -%}
    try_to_timestamp({{ value }}, '{{ aoai_finops._translate_format(format, tokens) }}')
    {%- endif -%}
{%- endmacro %}

{#- try_parse_date(value, format='iso'): parse_timestamp, then the date part. -#}
{% macro try_parse_date(value, format='iso') %}
    {{ return('cast(' ~ aoai_finops.parse_timestamp(value, format) ~ ' as date)') }}
{% endmacro %}

{#- current_timestamp_utc(): the current time as a UTC `timestamp` without time zone (DuckDB's
    current_timestamp is a TIMESTAMPTZ, which a `timestamp` contract rejects and which casts to local time). -#}
{% macro current_timestamp_utc() %}
    {{ return(adapter.dispatch('current_timestamp_utc', 'aoai_finops')()) }}
{% endmacro %}

{% macro default__current_timestamp_utc() -%}
    cast(timezone('UTC', get_current_timestamp()) as timestamp)
{%- endmacro %}

{% macro spark__current_timestamp_utc() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}

{#-
    date_spine_days(start_date, end_date): a complete SELECT of one column `date_day` (date), every day from
    start_date up to but excluding end_date (dbt.date_spine's convention). Arguments are SQL expressions of
    type date (literals: cast('2024-05-01' as date)). Use it as a CTE body.
-#}
{% macro date_spine_days(start_date, end_date) %}
    {{ return(adapter.dispatch('date_spine_days', 'aoai_finops')(start_date, end_date)) }}
{% endmacro %}

{% macro default__date_spine_days(start_date, end_date) -%}
    select cast(range as date) as date_day
    from range(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)
{%- endmacro %}

{% macro spark__date_spine_days(start_date, end_date) -%}
    {#- sequence() raises when stop < start: clamp, then drop the one extra day. -#}
    select date_day
    from (
        select explode(sequence(
            cast({{ start_date }} as date),
            greatest(cast({{ start_date }} as date), date_sub(cast({{ end_date }} as date), 1)),
            interval 1 day
        )) as date_day
    ) as spine
    where date_day < cast({{ end_date }} as date)
{%- endmacro %}
