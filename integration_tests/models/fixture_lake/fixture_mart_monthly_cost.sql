-- Fixture mart with an enforced contract using every contract type (string, double, bigint, integer, boolean,
-- date, timestamp) and the cross-database macros a real mart needs.
with daily as (
    select
        billing_month,
        charge_date,
        cast(sum(billed_cost) as double) as billed_cost,
        cast(sum(tokens) as bigint) as tokens,
        cast(sum(cost_rows) as bigint) as cost_rows
    from {{ ref('fixture_fct_daily_cost') }}
    group by billing_month, charge_date
),

tags as (
    {{ aoai_finops.tags_to_rows(ref('fixture_stg_focus_cost'), 'tags_json', ['billing_month']) }}
),

tag_keys as (
    select
        billing_month,
        {{ aoai_finops.string_agg_ordered('lower(tag_key)', ',', distinct=true) }} as tag_keys
    from tags
    group by billing_month
),

families as (
    select
        billing_month,
        {{ aoai_finops.string_agg_ordered('model_family', ', ', distinct=true) }} as model_families,
        bool_or(has_unclassified) as has_unclassified
    from {{ ref('fixture_fct_daily_cost') }}
    group by billing_month
)

select
    {{ aoai_finops.surrogate_key(['daily.billing_month']) }} as month_key,
    daily.billing_month,
    cast(min(daily.charge_date) as date) as first_charge_date,
    cast(count(*) as integer) as charge_days,
    cast(sum(daily.cost_rows) as bigint) as cost_rows,
    cast(sum(daily.tokens) as bigint) as tokens,
    cast(sum(daily.billed_cost) as double) as billed_cost,
    cast({{ aoai_finops.median('daily.billed_cost') }} as double) as median_daily_cost,
    cast({{ aoai_finops.percentile('daily.billed_cost', 0.9) }} as double) as p90_daily_cost,
    max(families.model_families) as model_families,
    max(tag_keys.tag_keys) as tag_keys,
    cast(max(case when families.has_unclassified then 1 else 0 end) = 1 as boolean) as has_unclassified,
    {{ aoai_finops.current_timestamp_utc() }} as built_at
from daily
inner join families on daily.billing_month = families.billing_month
left join tag_keys on daily.billing_month = tag_keys.billing_month
group by daily.billing_month
