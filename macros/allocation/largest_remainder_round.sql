{#-
    largest_remainder_round(relation, amounts, partition_by, order_by, totals=none, scale=2):
    round amounts to cents so that, within every partition, the rounded amounts add up to the partition's total
    exactly: no cent lost, none invented (the largest remainder method, also called Hamilton's method).

        rounded as (
            {{ largest_remainder_round('allocated', ['billed_cost', 'effective_cost'],
                                       partition_by=['charge_date', 'resource_id'], order_by=['target_key']) }}
        )

    A complete SELECT (use it as a CTE body) with every column of `relation` plus, for each amount `a`, the
    double `a_rounded` and helper columns prefixed `lr_` (select the columns you need afterwards).

    - Each amount is rounded down to the cent (towards minus infinity, so credits work the same way), then the
      cents the partition still lacks go, one each, to the rows with the largest remainders; ties go to the row
      first in `order_by` (column expressions, ascending; make them unique within a partition for a repeatable
      result). |a_rounded - a| < 0.01 for every row.
    - The partition's total is round(sum(a), scale) (half away from zero), unless `totals` maps the amount to a
      column holding the total to reach (already rounded, the same on every row of the partition): then a
      finer split can be made to add up to a coarser split's cents. If that total is below the sum of the
      rounded-down amounts, cents are taken back from the smallest remainders instead, ties from the row last
      in `order_by`: the exact reverse of the order cents are given in, so one sort per amount serves both
      (window sorts are what this costs at scale).
    - Amounts are compared at 1/10,000 of a cent: remainders closer than that are ties, so binary noise
      (0.29 * 100 = 28.999999999999996) neither decides nor breaks a tie.
-#}
{% macro largest_remainder_round(relation, amounts, partition_by, order_by, totals=none, scale=2) %}
    {%- set factor = 10 ** scale -%}
    {%- set totals = totals or {} -%}
    {%- set partition = 'partition by ' ~ (partition_by | join(', ')) -%}
    {%- set tie_break = order_by | join(', ') -%}
select
    lr_ranked.*
    {%- for amount in amounts %},
    cast(
        lr_floor_{{ amount }}
        + case
            when lr_rank_desc_{{ amount }} <= lr_target_{{ amount }} - lr_floor_sum_{{ amount }} then 1
            when lr_rows - lr_rank_desc_{{ amount }} < lr_floor_sum_{{ amount }} - lr_target_{{ amount }} then -1
            else 0
        end
        as double
    ) / {{ factor }} as {{ amount }}_rounded
    {%- endfor %}
from (
    select
        lr_floors.*,
        count(*) over ({{ partition }}) as lr_rows
        {%- for amount in amounts %},
        sum(lr_floor_{{ amount }}) over ({{ partition }}) as lr_floor_sum_{{ amount }},
        {%- if amount in totals %}
        cast(round({{ totals[amount] }} * {{ factor }}) as bigint) as lr_target_{{ amount }},
        {%- else %}
        -- The exact sum (rows rounded to 1/10,000 of a cent can add up to half a cent more), rid of binary
        -- noise at 1/100,000,000 of a cent: coarser, a real 135.6049999955 (Azure prices have 10 decimals)
        -- would round up to 135.61.
        cast(
            round(round(sum(cast(coalesce({{ amount }}, 0) as double)) over ({{ partition }}) * {{ factor }}, 8))
            as bigint
        ) as lr_target_{{ amount }},
        {%- endif %}
        row_number() over ({{ partition }} order by lr_remainder_{{ amount }} desc, {{ tie_break }})
            as lr_rank_desc_{{ amount }}
        {%- endfor %}
    from (
        select
            lr_units.*
            {%- for amount in amounts %},
            cast(floor(lr_units_{{ amount }}) as bigint) as lr_floor_{{ amount }},
            round(lr_units_{{ amount }} - floor(lr_units_{{ amount }}), 4) as lr_remainder_{{ amount }}
            {%- endfor %}
        from (
            select
                lr_source.*
                {%- for amount in amounts %},
                round(cast(coalesce({{ amount }}, 0) as double) * {{ factor }}, 4) as lr_units_{{ amount }}
                {%- endfor %}
            from {{ relation }} as lr_source
        ) as lr_units
    ) as lr_floors
) as lr_ranked
{% endmacro %}
