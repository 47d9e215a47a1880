{#-
    The anomaly detector: ONE implementation, used by the marts (int_anomaly_series_scored -> fct_cost_anomalies)
    and by the evaluation harness (anomaly_eval_detector, `make eval-anomalies`). docs/anomalies.md explains
    the method, its settings and how well it does.

    detect_anomalies(relation, partition_by, date_column, value_column, fixed_column=none,
                     impact_per_unit_column=none, passthrough=[], prior_state=none, score_from=none)

    Input: one row per series (`partition_by`) and day, every day present: a day without cost is a row with
    value 0, not a gap (zero-fill first). A null value means "undefined" (a unit cost on a day without tokens):
    it is neither scored nor used as history. Output: the partition and passthrough columns plus
    anomaly_output_columns() (anomaly_state_columns() among them).

    Scoring only the days from `score_from` on (a date literal; an incremental build): every value a window of a
    later day reads is either recomputed from the input's last 2W days before score_from (the deepest window) or
    read from `prior_state`, the detector's own output of those days (partition columns, date_column,
    history_days and anomaly_state_columns()). The scores are then the ones a build of every day gives, as long
    as the input before score_from is the one prior_state was scored on
    (tests/anomalies/assert_detector_scored_from_a_day_equals_scoring_every_day.sql).

    For each day t of a series, on y = value - fixed (the fixed part, e.g. commitment amortization, is known in
    advance: it is added back to the expected value, never forecast; that is what keeps month boundaries, where
    the daily amortization changes with the month's length, quiet):
      weekday factor  median over the same weekday of the last W/7 weeks of y / (median of y over that day's
                      week); 1 before the first week
      level           median of y / factor over the last 7 days (over the window while fewer than 2 of them are
                      usable), so a level shift is followed within days
      expected        level x factor. Intermittent series (3 or more unexpected zero days in the last 2W days)
                      use the window's mean instead, and a zero day is normal for them
      noise           1.4826 x median over the last W days of |log((y + c) / (expected + c))| (the MAD of
                      one-day-ahead errors, in log space: costs vary by multiples), at least `noise_floor`;
                      c = a quarter of the window's mean level keeps zero days finite
      score           log((y + c) / (expected + c)) / noise; an outlier when |score| >= sensitivity, from
                      min_history_days days of history and 7 scored days on (cold start)
    All of it twice: pass 1 as above; pass 2 recomputes every window without the days pass 1 flagged, so an
    anomaly does not drag its own baseline (a set-based stand-in for the recursive "exclude earlier anomalies";
    each pass is a handful of window functions). Only the first `level_shift_days` days of a run of outliers
    are kept out of the baseline: after that the new values are history, so a new steady level is followed and
    stops alarming within days, while a run that keeps growing keeps alarming.
    A day is an anomaly when it is an outlier of pass 2 and |cost impact| >= min_cost_impact, where
    cost impact = (value - expected value) x impact_per_unit (1 when the value is money).
-#}

{#- The detector's settings: dbt vars, with the documented defaults (docs/anomalies.md). -#}
{% macro anomaly_config() %}
    {% set config = {
        'sensitivity': var('anomaly_sensitivity', 4.5) | float,
        'window_days': var('anomaly_window_days', 28) | int,
        'min_history_days': var('anomaly_min_history_days', 14) | int,
        'level_shift_days': var('anomaly_level_shift_days', 7) | int,
        'min_cost_impact': var('anomaly_min_cost_impact', 1.0) | float,
        'noise_floor': var('anomaly_noise_floor', 0.02) | float,
    } %}
    {% if config.sensitivity <= 0 %}
        {{ exceptions.raise_compiler_error('anomaly_sensitivity must be a positive number of noise units, got '
            ~ config.sensitivity) }}
    {% endif %}
    {% if config.window_days < 14 or config.window_days % 7 != 0 %}
        {{ exceptions.raise_compiler_error('anomaly_window_days must be a multiple of 7 and at least 14 (whole '
            ~ 'weeks, so every weekday has the same number of points), got ' ~ config.window_days) }}
    {% endif %}
    {% if config.min_history_days < 8 %}
        {{ exceptions.raise_compiler_error('anomaly_min_history_days must be at least 8 (one week of history '
            ~ 'plus a day), got ' ~ config.min_history_days) }}
    {% endif %}
    {% if config.level_shift_days < 1 %}
        {{ exceptions.raise_compiler_error('anomaly_level_shift_days must be at least 1, got '
            ~ config.level_shift_days) }}
    {% endif %}
    {% if config.min_cost_impact < 0 or config.noise_floor < 0 %}
        {{ exceptions.raise_compiler_error('anomaly_min_cost_impact and anomaly_noise_floor cannot be negative') }}
    {% endif %}
    {{ return(config) }}
{% endmacro %}

{#- Columns detect_anomalies() adds to the passthrough columns. -#}
{% macro anomaly_output_columns() %}
    {{ return(['day_of_week', 'history_days', 'expected_value', 'lower_bound', 'upper_bound', 'noise_scale',
               'anomaly_score', 'is_outlier', 'is_baseline_excluded', 'anomaly_direction', 'cost_impact',
               'is_anomaly', 'anomaly_first_date', 'anomaly_run_day'] + aoai_finops.anomaly_state_columns()) }}
{% endmacro %}

{#- The detector's state on each day: every windowed value of a pass that a later day's windows read (and that
    the last 2W days alone cannot recompute), and the first anomaly day of the episode so far. What an
    incremental build reads back for the days before the ones it scores (prior_state). -#}
{% macro anomaly_state_columns() %}
    {%- set columns = [] %}
    {%- for p in [1, 2] %}
        {%- for name in ['factor', 'recent_level', 'recent_points', 'window_level', 'surprise_zeros', 'is_flagged',
                         'direction', 'run_day'] %}
            {%- do columns.append('p' ~ p ~ '_' ~ name) %}
        {%- endfor %}
    {%- endfor %}
    {{ return(columns + ['episode_first_date']) }}
{% endmacro %}

{#- The days before score_from that a build scoring from it reads: the deepest window, the unexpected zero days
    of the last 2W days. -#}
{% macro anomaly_lookback_days() %}
    {{ return(2 * aoai_finops.anomaly_config().window_days) }}
{% endmacro %}

{#- A state column's value: `expression` on the days being scored, the stored value on the days before them. -#}
{% macro anomaly_state_value(column, expression, score_from) %}
    {%- if score_from is none %}
        {{- return(expression) }}
    {%- endif %}
    {{- return('(case when detector_is_prior then prior_' ~ column ~ ' else ' ~ expression ~ ' end)') }}
{% endmacro %}

{% macro detect_anomalies(relation, partition_by, date_column, value_column, fixed_column=none,
                          impact_per_unit_column=none, passthrough=[], prior_state=none, score_from=none) %}
{%- set cfg = aoai_finops.anomaly_config() %}
{%- set keys = partition_by | join(', ') %}
{%- set carried = partition_by + (passthrough | reject('in', partition_by) | list) %}
{%- set weeks = (cfg.window_days / 7) | int %}
{#- Fixed by design (docs/anomalies.md): one week for the recent level; errors are compared in log space with
    an offset of a quarter of the window's mean level, so days near zero do not get an infinite log. -#}
{%- set level_days = 7 %}
{%- set log_offset = 0.25 %}
{#- Set outside the loop below: a variable set inside a Jinja for loop does not outlive it. -#}
{%- set by_day = 'partition by ' ~ keys ~ ' order by detector_date' %}
{%- set window = 'rows between ' ~ cfg.window_days ~ ' preceding and 1 preceding' %}
{%- set state = aoai_finops.anomaly_state_columns() %}
{%- set day_number = 'row_number() over (partition by ' ~ keys ~ ' order by ' ~ date_column ~ ') - 1' %}
with
{% if score_from is not none %}
{#- The days to score and the 2W days before them, those with their stored state. A series' first row here is a
    prior day when it has any, so its stored day count carries on. -#}
input_days as (
    select
        {% for column in carried -%}
        input_rows.{{ column }},
        {% endfor -%}
        input_rows.{{ date_column }} < {{ score_from }} as detector_is_prior,
        {% for column in ['history_days'] + state -%}
        stored.{{ column }} as prior_{{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ relation }} as input_rows
    left join {{ prior_state }} as stored
        on
            {% for column in partition_by -%}
            input_rows.{{ column }} = stored.{{ column }}
            and {% endfor -%}
            input_rows.{{ date_column }} = stored.{{ date_column }}
            and stored.{{ date_column }} < {{ score_from }}
    where input_rows.{{ date_column }} >= {{ dbt.dateadd('day', -aoai_finops.anomaly_lookback_days(), score_from) }}
),
{%- set day_number = day_number ~ ' + coalesce(first_value(prior_history_days) over (partition by ' ~ keys
    ~ ' order by ' ~ date_column ~ ' rows between unbounded preceding and current row), 0)' %}
{%- endif %}

detector_input as (
    select
        {% for column in carried -%}
        {{ column }},
        {% endfor -%}
        {% if score_from is not none -%}
        detector_is_prior,
        {% for column in ['history_days'] + state -%}
        prior_{{ column }},
        {% endfor -%}
        {% endif -%}
        cast({{ date_column }} as date) as detector_date,
        cast({{ fixed_column if fixed_column else '0' }} as double) as detector_fixed,
        cast({{ value_column }} as double) - coalesce(cast({{ fixed_column if fixed_column else '0' }} as double), 0)
            as detector_value,
        cast({{ impact_per_unit_column if impact_per_unit_column else '1' }} as double) as detector_impact_per_unit,
        {{ aoai_finops.day_of_week_iso(date_column) }} as day_of_week,
        cast({{ day_number }} as integer) as history_days
    from {{ 'input_days' if score_from is not none else relation }}
),

{#-
    Each pass is seven window levels; everything that is not a window is written inline as an expression (the
    Jinja variables below), which keeps the plan shallow: Spark's analyzer gives up on deeply nested plans.
-#}
{%- for p in [1, 2] %}
{%- set cur = 'p' ~ p %}
{%- set excluded = 'false' if p == 1 else '(p1_is_flagged and p1_run_day <= ' ~ cfg.level_shift_days ~ ')' %}
{%- set source = 'detector_input' if p == 1 else 'p1_runs' %}
{%- set value = '(case when ' ~ excluded ~ ' then null else detector_value end)' %}
{#- Pass 1 already flags from day 10 on (a week of history and 3 scored days), so that an outlier of the cold
    start is kept out of the baseline of the weeks after it; only pass 2's flags, from min_history_days on, are
    reported. -#}
{%- set first_day, first_errors = (7, 3) if p == 1 else (cfg.min_history_days, 7) %}

{#- The value (null when excluded), the median of its week (every weekday once) and the window's mean level. -#}
{{ cur }}_levels as (
    select
        *,
        {{ value }} as {{ cur }}_value,
        {{ aoai_finops.median(value) }} over ({{ by_day }} rows between 6 preceding and current row)
            as {{ cur }}_week_median,
        avg(abs({{ value }} + detector_fixed)) over ({{ by_day }} {{ window }}) as {{ cur }}_mean_level,
        avg({{ value }}) over ({{ by_day }} {{ window }}) as {{ cur }}_window_mean
    from {{ source }}
),

{#- Weekday factor: the median, over the same weekday of the last W/7 weeks, of value / week median. -#}
{{ cur }}_factors as (
    select
        *,
        {%- set factor -%}
        coalesce(
            {{ aoai_finops.median(
                'case when ' ~ cur ~ '_week_median > 0 then ' ~ cur ~ '_value / ' ~ cur ~ '_week_median end'
            ) }} over (
                partition by {{ keys }}, day_of_week order by detector_date
                rows between {{ weeks }} preceding and 1 preceding
            ),
            1
        )
        {%- endset %}
        {{ aoai_finops.anomaly_state_value(cur ~ '_factor', factor, score_from) }} as {{ cur }}_factor
    from {{ cur }}_levels
),

{#- The deseasonalized level: median of the last 7 days, or of the window while fewer than 2 of them are usable
    (just after the excluded first days of an anomaly). -#}
{%- set deseasonalized = cur ~ '_value / nullif(' ~ cur ~ '_factor, 0)' %}
{{ cur }}_level_windows as (
    select
        *,
        {%- set recent = 'rows between ' ~ level_days ~ ' preceding and 1 preceding' %}
        {{ aoai_finops.anomaly_state_value(
            cur ~ '_recent_level',
            aoai_finops.median(deseasonalized) ~ ' over (' ~ by_day ~ ' ' ~ recent ~ ')',
            score_from
        ) }} as {{ cur }}_recent_level,
        {{ aoai_finops.anomaly_state_value(
            cur ~ '_recent_points', 'count(' ~ deseasonalized ~ ') over (' ~ by_day ~ ' ' ~ recent ~ ')', score_from
        ) }} as {{ cur }}_recent_points,
        {{ aoai_finops.anomaly_state_value(
            cur ~ '_window_level',
            aoai_finops.median(deseasonalized) ~ ' over (' ~ by_day ~ ' ' ~ window ~ ')',
            score_from
        ) }} as {{ cur }}_window_level
    from {{ cur }}_factors
),

{#- Unexpected zero days over the last 2W days: an intermittent series (3 or more) is at zero now and then at
    random; medians of it collapse to zero and its weekday profile is noise, so its expected value is the plain
    mean of the window, and a day at zero is normal for it (never a drop). -#}
{%- set level = '(case when ' ~ cur ~ '_recent_points >= 2 then ' ~ cur ~ '_recent_level else '
    ~ cur ~ '_window_level end)' %}
{{ cur }}_intermittency as (
    select
        *,
        {{ level }} as {{ cur }}_level,
        {%- set surprise_zeros -%}
        sum(case when detector_value = 0 and {{ level }} * {{ cur }}_factor > 0 then 1 else 0 end) over (
            {{ by_day }} rows between {{ 2 * cfg.window_days }} preceding and 1 preceding
        )
        {%- endset %}
        {{ aoai_finops.anomaly_state_value(cur ~ '_surprise_zeros', surprise_zeros, score_from) }}
            as {{ cur }}_surprise_zeros
    from {{ cur }}_level_windows
),

{#- Expected = level x weekday factor (the window's mean for an intermittent series). Deviations are taken in log
    space, with an offset of a quarter of the window's mean level so that days at zero stay finite: this day's
    (what is scored) and the history's (what the noise is measured on). Days at zero where zero was expected
    (weekends of a weekday-only series) count as history but say nothing about the noise: the noise is the median
    without them, unless fewer than 7 days are left (a series that is mostly zero, such as the on-demand part of a
    PTU commitment). -#}
{%- set expected = '(case when ' ~ cur ~ '_surprise_zeros >= 3 then ' ~ cur ~ '_window_mean else '
    ~ cur ~ '_level * ' ~ cur ~ '_factor end)' %}
{%- set offset = '(cast(' ~ log_offset ~ ' as double) * ' ~ cur ~ '_mean_level)' %}
{%- set history_error -%}
    (case
        when {{ cur }}_value + {{ offset }} > 0 and {{ expected }} + {{ offset }} > 0 and history_days >= 7
            then abs(ln(({{ cur }}_value + {{ offset }}) / ({{ expected }} + {{ offset }})))
    end)
{%- endset %}
{%- set noise_error = '(case when not (' ~ cur ~ '_value = 0 and ' ~ expected ~ ' = 0) then '
    ~ history_error ~ ' end)' %}
{{ cur }}_noise as (
    select
        *,
        {{ expected }} as {{ cur }}_expected,
        {{ offset }} as {{ cur }}_offset,
        case
            when detector_value + {{ offset }} > 0 and {{ expected }} + {{ offset }} > 0
                then ln((detector_value + {{ offset }}) / ({{ expected }} + {{ offset }}))
        end as {{ cur }}_log_deviation,
        {{ aoai_finops.median(noise_error) }} over ({{ by_day }} {{ window }}) as {{ cur }}_noise_median,
        count({{ noise_error }}) over ({{ by_day }} {{ window }}) as {{ cur }}_noise_points,
        {{ aoai_finops.median(history_error) }} over ({{ by_day }} {{ window }}) as {{ cur }}_all_errors_median,
        count({{ history_error }}) over ({{ by_day }} {{ window }}) as {{ cur }}_error_points
    from {{ cur }}_intermittency
),

{#- Score = log deviation / noise (at least the noise floor); flagged when |score| >= sensitivity. Runs of
    consecutive flagged days in one direction are numbered (gaps and islands). -#}
{%- set scale -%}
    greatest(
        cast(1.4826 as double) * coalesce(
            case when {{ cur }}_noise_points >= 7 then {{ cur }}_noise_median end, {{ cur }}_all_errors_median, 0
        ),
        cast({{ cfg.noise_floor }} as double)
    )
{%- endset %}
{%- set score = '(' ~ cur ~ '_log_deviation / ' ~ scale ~ ')' %}
{%- set flagged -%}
    coalesce(
        detector_value is not null
        and {{ cur }}_expected is not null
        and history_days >= {{ first_day }}
        and {{ cur }}_error_points >= {{ first_errors }}
        and abs({{ score }}) >= cast({{ cfg.sensitivity }} as double)
        and not (detector_value = 0 and {{ cur }}_surprise_zeros >= 3),
        false
    )
{%- endset %}
{#- A direction for flagged days only: the sign of a score near 0 is float noise, and would split the runs of
    days not flagged at random. -#}
{%- set direction = aoai_finops.anomaly_state_value(
    cur ~ '_direction', "(case when " ~ flagged ~ " then case when " ~ score ~ " > 0 then 'spike' else 'drop' end end)",
    score_from) %}
{%- set flagged = aoai_finops.anomaly_state_value(cur ~ '_is_flagged', flagged, score_from) %}
{{ cur }}_scored as (
    select
        *,
        {{ scale }} as {{ cur }}_scale,
        {{ score }} as {{ cur }}_score,
        {{ flagged }} as {{ cur }}_is_flagged,
        {{ direction }} as {{ cur }}_direction,
        row_number() over ({{ by_day }})
        - row_number() over (
            partition by {{ keys }}, {{ flagged }}, {{ direction }} order by detector_date
        ) as {{ cur }}_run_group
    from {{ cur }}_noise
),

{#- A run that began before the days being scored carries on from the stored day of its first prior day. -#}
{%- set run = 'partition by ' ~ keys ~ ', ' ~ cur ~ '_is_flagged, ' ~ cur ~ '_direction, ' ~ cur ~ '_run_group'
    ~ ' order by detector_date' %}
{%- set run_day = 'row_number() over (' ~ run ~ ')' %}
{%- if score_from is not none %}
{%- set run_day = run_day ~ ' - 1 + coalesce(first_value(case when detector_is_prior then prior_' ~ cur
    ~ '_run_day end) over (' ~ run ~ ' rows between unbounded preceding and current row), 1)' %}
{%- endif %}
{{ cur }}_runs as (
    select
        *,
        {{ aoai_finops.anomaly_state_value(cur ~ '_run_day', run_day, score_from) }} as {{ cur }}_run_day
    from {{ cur }}_scored
),
{%- endfor %}

{#- An episode is a run of consecutive outlier days in one direction; its first day is its first anomaly (an
    outlier whose cost impact is large enough), so a quiet weekend inside an episode does not start a new one.
    Whether an episode is still going on depends on the days after it, so it is not scored here:
    fct_cost_anomalies.is_ongoing reads it from the series' last day. -#}
{%- set cost_impact = '((detector_value - p2_expected) * detector_impact_per_unit)' %}
episodes as (
    select
        *,
        p2_is_flagged as is_outlier,
        p1_is_flagged and p1_run_day <= {{ cfg.level_shift_days }} as is_baseline_excluded,
        p2_expected + detector_fixed as expected_value,
        (p2_expected + p2_offset) * exp(-cast({{ cfg.sensitivity }} as double) * p2_scale) - p2_offset
        + detector_fixed as lower_bound,
        (p2_expected + p2_offset) * exp(cast({{ cfg.sensitivity }} as double) * p2_scale) - p2_offset
        + detector_fixed as upper_bound,
        p2_scale as noise_scale,
        p2_score as anomaly_score,
        {{ cost_impact }} as cost_impact,
        coalesce(p2_is_flagged and abs({{ cost_impact }}) >= cast({{ cfg.min_cost_impact }} as double), false)
            as is_anomaly,
        p2_direction as anomaly_direction,
        row_number() over ({{ by_day }})
        - row_number() over (partition by {{ keys }}, p2_is_flagged, p2_direction order by detector_date)
            as episode_group
    from p2_runs
),

{%- set first_anomaly -%}
    min({{ aoai_finops.anomaly_state_value(
        'episode_first_date', '(case when is_anomaly then detector_date end)', score_from) }}) over (
        partition by {{ keys }}, is_outlier, anomaly_direction, episode_group order by detector_date
        rows between unbounded preceding and current row
    )
{%- endset %}
episode_bounds as (
    select
        *,
        {{ first_anomaly }} as episode_first_date
    from episodes
)

select
    {% for column in carried -%}
    {{ column }},
    {% endfor -%}
    day_of_week,
    history_days,
    expected_value,
    lower_bound,
    upper_bound,
    noise_scale,
    anomaly_score,
    is_outlier,
    is_baseline_excluded,
    anomaly_direction,
    cost_impact,
    is_anomaly,
    case when is_anomaly then episode_first_date end as anomaly_first_date,
    case
        when is_anomaly then cast({{ dbt.datediff('episode_first_date', 'detector_date', 'day') }} + 1 as integer)
    end as anomaly_run_day,
    {% for column in state -%}
    {{ column }}{% if not loop.last %},{% endif %}
    {% endfor -%}
from episode_bounds
{%- if score_from is not none %}
where not detector_is_prior
{%- endif %}
{%- endmacro %}
