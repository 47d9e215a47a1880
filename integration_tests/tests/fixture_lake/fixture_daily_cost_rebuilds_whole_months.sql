-- The incremental model rebuilds whole billing months: every row of a month comes from one build.
-- With --vars '{fixture_replaced_month: "2024-06"}' (make spark-test / fixture-test, second build after
-- `fixture_lake.py --replace-month 2024-06`) it also checks that the incremental run rebuilt that month only:
-- the other months keep their earlier build time, so they were neither deleted nor rebuilt.
with months as (
    select
        billing_month,
        count(distinct built_at) as builds,
        max(built_at) as built_at
    from {{ ref('fixture_fct_daily_cost') }}
    group by billing_month
)

select billing_month, 'month built more than once' as problem
from months
where builds != 1
{% if var('fixture_replaced_month', none) %}
union all
select other.billing_month, 'not rebuilt by itself' as problem
from months as other
inner join months as replaced on replaced.billing_month = '{{ var("fixture_replaced_month") }}'
where other.billing_month != replaced.billing_month and other.built_at >= replaced.built_at
union all
select '{{ var("fixture_replaced_month") }}' as billing_month, 'month missing' as problem
from (select count(*) as n from months where billing_month = '{{ var("fixture_replaced_month") }}') as c
where n = 0
union all
select 'all' as billing_month, 'a month was lost' as problem
from (select count(*) as n from months) as c
where n < 2
{% endif %}
