-- Nothing lost, nothing counted twice between the AI marts: per month, fct_ai_unit_economics_monthly holds the
-- same tokens and billed, effective and list cost as fct_ai_token_costs_daily, which holds those of
-- int_ai_token_costs_priced (the AI token rows of focus_costs; assert_ai_token_totals_match_raw_quantities ties
-- them to the raw export). Expected list cost is left out: a row that is only partly priced has none, by design.
-- Returns the months that disagree.
{%- set costs = ['billed_cost', 'effective_cost', 'list_cost'] %}
{%- set layers = [
    ('priced', ref('int_ai_token_costs_priced'), 'charge_date', 'tokens'),
    ('daily', ref('fct_ai_token_costs_daily'), 'charge_date', 'tokens'),
    ('monthly', ref('fct_ai_unit_economics_monthly'), 'charge_month', 'total_tokens'),
] %}

with
{%- for layer, relation, date_column, token_column in layers %}
{{ layer }} as (
    select
        cast({{ dbt.date_trunc('month', date_column) }} as date) as charge_month,
        {%- for cost in costs %}
        sum({{ cost }}) as {{ cost }},
        {%- endfor %}
        sum({{ token_column }}) as tokens
    from {{ relation }}
    group by cast({{ dbt.date_trunc('month', date_column) }} as date)
),
{%- endfor %}

compared as (
    select
        coalesce(priced.charge_month, daily.charge_month, monthly.charge_month) as charge_month,
        {%- for layer, relation, date_column, token_column in layers %}
        {%- for cost in costs %}
        {{ layer }}.{{ cost }} as {{ layer }}_{{ cost }},
        {%- endfor %}
        {%- endfor %}
        priced.tokens as priced_tokens,
        daily.tokens as daily_tokens,
        monthly.tokens as monthly_tokens
    from priced
    full outer join daily on priced.charge_month = daily.charge_month
    full outer join monthly on coalesce(priced.charge_month, daily.charge_month) = monthly.charge_month
)

select * from compared
where
    priced_tokens is null
    or daily_tokens is null
    or monthly_tokens is null
    or abs(priced_tokens - daily_tokens) >= 0.5
    or abs(daily_tokens - monthly_tokens) >= 0.5
    {%- for cost in costs %}
    or abs(priced_{{ cost }} - daily_{{ cost }}) >= 0.005
    or abs(daily_{{ cost }} - monthly_{{ cost }}) >= 0.005
    {%- endfor %}
