{#- The days of the detector tests' synthetic series: `weeks` weeks from Monday 2026-01-05, each with its
    day_number (0 on the first day), day_date, is_weekend, noise (-0.03 .. +0.03, a different value most days) and
    base (a weekday/weekend profile of 1.0 / 0.4 with that noise). -#}
{% macro synthetic_series_days(weeks) %}
    select
        7 * weeks.i + weekdays.j as day_number,
        cast('2026-01-05' as date) + (7 * weeks.i + weekdays.j) as day_date,
        weekdays.j >= 5 as is_weekend,
        cast(((7 * weeks.i + weekdays.j) * 7) % 5 - 2 as double) * 0.015 as noise,
        (case when weekdays.j >= 5 then 0.4 else 1.0 end)
        * (1 + cast(((7 * weeks.i + weekdays.j) * 7) % 5 - 2 as double) * 0.015) as base
    from (
        values {% for i in range(weeks) %}({{ i }}){% if not loop.last %}, {% endif %}{% endfor %}
    ) as weeks (i)
    cross join (values (0), (1), (2), (3), (4), (5), (6)) as weekdays (j)
{%- endmacro %}
