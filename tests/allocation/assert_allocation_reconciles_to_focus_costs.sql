-- Allocated + unallocated = source, per day and account, to the cent: the AI cost of focus_costs (AI meters, and
-- credits / adjustments on an AI account), summed per billing month, charge date, billing account, currency,
-- subscription and resource, against fct_cost_allocation_daily (cents: within half a cent) and
-- focus_costs_allocated (full precision). Fails on every account-day that differs or exists on one side only.
{%- set unit = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
] %}
{%- set join_conditions = [] %}
{%- for c in unit %}{% do join_conditions.append('source_costs.' ~ c ~ ' is not distinct from MART.' ~ c) %}{% endfor %}

with focus_costs as (
    select * from {{ aoai_finops.tested_rows(ref('focus_costs')) }}
),

-- from every month: a credit is allocated when its account has AI cost in any month
ai_accounts as (
    select distinct ResourceId as resource_id
    from {{ ref('focus_costs') }}
    where x_AiIsAiMeter and ResourceId is not null
),

source_costs as (
    select
        focus_costs.x_BillingMonth as billing_month,
        cast(focus_costs.ChargePeriodStart as date) as charge_date,
        focus_costs.BillingAccountId as billing_account_id,
        focus_costs.BillingCurrency as billing_currency,
        focus_costs.SubAccountId as sub_account_id,
        focus_costs.ResourceId as resource_id,
        sum(focus_costs.BilledCost) as billed_cost,
        sum(focus_costs.EffectiveCost) as effective_cost
    from focus_costs
    left join ai_accounts on focus_costs.ResourceId = ai_accounts.resource_id
    where
        focus_costs.x_AiIsAiMeter
        or (focus_costs.ChargeCategory in ('Credit', 'Adjustment') and ai_accounts.resource_id is not null)
    group by
        focus_costs.x_BillingMonth,
        cast(focus_costs.ChargePeriodStart as date),
        focus_costs.BillingAccountId,
        focus_costs.BillingCurrency,
        focus_costs.SubAccountId,
        focus_costs.ResourceId
),

daily as (
    select
        {{ unit | join(',\n        ') }},
        sum(allocated_billed_cost) as billed_cost,
        sum(allocated_effective_cost) as effective_cost
    from {{ aoai_finops.tested_rows(ref('fct_cost_allocation_daily')) }}
    group by {{ unit | join(', ') }}
),

allocated_charges as (
    select
        x_BillingMonth as billing_month,
        cast(ChargePeriodStart as date) as charge_date,
        BillingAccountId as billing_account_id,
        BillingCurrency as billing_currency,
        SubAccountId as sub_account_id,
        ResourceId as resource_id,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ aoai_finops.tested_rows(ref('focus_costs_allocated')) }}
    group by
        x_BillingMonth, cast(ChargePeriodStart as date), BillingAccountId, BillingCurrency, SubAccountId, ResourceId
),

{%- for mart, tolerance in [('daily', 0.005000001), ('allocated_charges', 0.000001)] %}

{{ mart }}_compared as (
    select
        '{{ mart }}' as compared_with,
        {% for column in unit %}coalesce(source_costs.{{ column }}, {{ mart }}.{{ column }}) as {{ column }},
        {% endfor -%}
        source_costs.billed_cost as source_billed_cost,
        {{ mart }}.billed_cost as allocated_billed_cost,
        source_costs.effective_cost as source_effective_cost,
        {{ mart }}.effective_cost as allocated_effective_cost
    from source_costs
    full outer join {{ mart }}
        on
            {{ join_conditions | join('\n            and ') | replace('MART', mart) }}
    where
        source_costs.billed_cost is null
        or {{ mart }}.billed_cost is null
        or abs(source_costs.billed_cost - {{ mart }}.billed_cost) > {{ tolerance }}
        or abs(source_costs.effective_cost - {{ mart }}.effective_cost) > {{ tolerance }}
){{ ',' if not loop.last }}
{%- endfor %}

select * from daily_compared
union all
select * from allocated_charges_compared
