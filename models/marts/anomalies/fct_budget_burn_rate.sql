-- Budgets against spend: one row per budget (scope x month) as of the last day of data, with month-to-date
-- spend, burn rate, a month-end forecast and the day the budget is (forecast to be) exceeded.
-- Forecast: month-to-date actuals, plus for every remaining day the median of the scope's on-demand cost on the
-- same weekday over the last 4 weeks (anomaly days left out, so a one-off spike is not extrapolated but an
-- accepted level shift is), plus the day's commitment amortization as it stands on the last day (the same amount a
-- month, spread over the budget month's days).
-- A scope id can name several series (a model budget covers the model on every billing account): their days add
-- up, and so do their weekday medians and commitments, each series taken on its own.
with budgets as (
    select
        scope_level,
        scope_id,
        budget_month,
        cast(budget_amount as double) as budget_amount,
        billing_currency as budget_currency,
        cast({{ aoai_finops.try_parse_date("budget_month || '-01'") }} as date) as month_start
    from {{ ref('budgets') }}
),

budget_months as (
    select
        *,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date) as month_end
    from budgets
),

daily_costs as (
    select
        series_id,
        scope_level,
        lower(scope_id) as scope_id_lower,
        scope_id,
        scope_name,
        billing_currency,
        metric_date,
        day_of_week,
        metric_value as effective_cost,
        fixed_value as committed_cost,
        is_outlier
    from {{ ref('int_anomaly_series_scored') }}
    where metric = 'effective_cost'
),

as_of as (
    select
        max(metric_date) as as_of_date,
        -- the forecast's weekday medians look at the last 4 weeks
        cast({{ dbt.dateadd('day', -28, 'max(metric_date)') }} as date) as window_start,
        -- a day's commitment amortization is the month's amount over this month's days
        {{ dbt.datediff(
            dbt.date_trunc('month', 'max(metric_date)'),
            dbt.dateadd('month', 1, dbt.date_trunc('month', 'max(metric_date)')),
            'day'
        ) }} as as_of_month_days
    from daily_costs
),

scope_days as (
    select
        scope_level,
        scope_id_lower,
        metric_date,
        sum(effective_cost) as effective_cost,
        sum(committed_cost) as committed_cost
    from daily_costs
    group by
        scope_level,
        scope_id_lower,
        metric_date
),

scopes as (
    select
        scope_level,
        scope_id_lower,
        max(scope_id) as scope_id,
        max(scope_name) as scope_name,
        max(billing_currency) as billing_currency,
        sum(
            case when metric_date = (select as_of.as_of_date from as_of) then committed_cost end
        ) as committed_cost_per_day
    from daily_costs
    group by
        scope_level,
        scope_id_lower
),

series_weekday_baselines as (
    select
        series_id,
        scope_level,
        scope_id_lower,
        day_of_week,
        {{ aoai_finops.median('effective_cost - committed_cost') }} as on_demand_cost_per_day
    from daily_costs
    where
        not is_outlier
        and metric_date > (select as_of.window_start from as_of)
    group by
        series_id,
        scope_level,
        scope_id_lower,
        day_of_week
),

weekday_baselines as (
    select
        scope_level,
        scope_id_lower,
        day_of_week,
        sum(on_demand_cost_per_day) as on_demand_cost_per_day
    from series_weekday_baselines
    group by
        scope_level,
        scope_id_lower,
        day_of_week
),

spine as (
    {{ aoai_finops.date_spine_days(
        '(select min(month_start) from budget_months)',
        "(select cast(" ~ dbt.dateadd('day', 1, 'max(month_end)') ~ " as date) from budget_months)"
    ) | indent(4) }}
),

budget_days as (
    select
        budget_months.*,
        spine.date_day,
        count(*) over (
            partition by budget_months.scope_level, budget_months.scope_id, budget_months.budget_month
        ) as month_days,
        spine.date_day <= (select as_of.as_of_date from as_of) as is_actual,
        {{ aoai_finops.day_of_week_iso('spine.date_day') }} as day_of_week
    from budget_months
    inner join spine on spine.date_day between budget_months.month_start and budget_months.month_end
),

budget_days_costed as (
    select
        budget_days.*,
        case
            when budget_days.is_actual then coalesce(actuals.effective_cost, 0)
            else
                coalesce(baselines.on_demand_cost_per_day, 0)
                + coalesce(scopes.committed_cost_per_day, 0)
                * (select as_of.as_of_month_days from as_of) / budget_days.month_days
        end as day_cost
    from budget_days
    left join scopes
        on budget_days.scope_level = scopes.scope_level and lower(budget_days.scope_id) = scopes.scope_id_lower
    left join scope_days as actuals
        on
            budget_days.scope_level = actuals.scope_level
            and lower(budget_days.scope_id) = actuals.scope_id_lower
            and budget_days.date_day = actuals.metric_date
    left join weekday_baselines as baselines
        on
            budget_days.scope_level = baselines.scope_level
            and lower(budget_days.scope_id) = baselines.scope_id_lower
            and budget_days.day_of_week = baselines.day_of_week
),

cumulated as (
    select
        *,
        sum(day_cost) over (
            partition by scope_level, scope_id, budget_month order by date_day rows unbounded preceding
        ) as cumulative_cost
    from budget_days_costed
),

per_budget as (
    select
        scope_level,
        scope_id,
        budget_month,
        max(month_start) as month_start,
        max(month_end) as month_end,
        max(budget_amount) as budget_amount,
        max(budget_currency) as budget_currency,
        cast(max(month_days) as integer) as days_in_month,
        cast(sum(case when is_actual then 1 else 0 end) as integer) as days_elapsed,
        sum(case when is_actual then day_cost else 0 end) as month_to_date_cost,
        sum(day_cost) as forecast_month_end_cost,
        min(case when is_actual and cumulative_cost > budget_amount then date_day end) as over_budget_date,
        min(case when cumulative_cost > budget_amount then date_day end) as forecast_over_budget_date
    from cumulated
    group by
        scope_level,
        scope_id,
        budget_month
),

final as (
    select
        per_budget.budget_month,
        per_budget.month_start,
        per_budget.month_end,
        per_budget.scope_level,
        per_budget.scope_id,
        scopes.scope_name,
        coalesce(scopes.billing_currency, per_budget.budget_currency) as billing_currency,
        scopes.scope_id_lower is not null as is_scope_found,
        per_budget.budget_amount,
        (select as_of.as_of_date from as_of) as as_of_date,
        per_budget.days_in_month,
        per_budget.days_elapsed,
        per_budget.days_elapsed = per_budget.days_in_month as is_month_complete,
        cast(per_budget.month_to_date_cost as double) as month_to_date_cost,
        cast(per_budget.month_to_date_cost / nullif(per_budget.days_elapsed, 0) as double) as burn_rate_per_day,
        cast(
            (per_budget.budget_amount - per_budget.month_to_date_cost)
            / nullif(per_budget.days_in_month - per_budget.days_elapsed, 0) as double
        ) as allowed_burn_rate_per_day,
        cast(per_budget.forecast_month_end_cost as double) as forecast_month_end_cost,
        cast(per_budget.forecast_month_end_cost - per_budget.budget_amount as double) as forecast_over_budget_amount,
        cast(per_budget.month_to_date_cost / nullif(per_budget.budget_amount, 0) as double) as budget_used_ratio,
        cast(per_budget.forecast_month_end_cost / nullif(per_budget.budget_amount, 0) as double)
            as forecast_budget_ratio,
        per_budget.over_budget_date is not null as is_over_budget,
        per_budget.forecast_over_budget_date is not null as is_forecast_over_budget,
        per_budget.over_budget_date,
        per_budget.forecast_over_budget_date,
        case
            when scopes.scope_id_lower is null then 'scope_not_found'
            when per_budget.over_budget_date is not null then 'over_budget'
            when per_budget.forecast_over_budget_date is not null then 'forecast_over_budget'
            else 'on_track'
        end as budget_status,
        case
            when per_budget.over_budget_date is not null then 'high'
            when per_budget.forecast_over_budget_date is not null then 'medium'
        end as alert_severity
    from per_budget
    left join scopes
        on per_budget.scope_level = scopes.scope_level and lower(per_budget.scope_id) = scopes.scope_id_lower
)

select * from final
