-- Allocated + unallocated = source, per day and account, to the cent: the AI cost of focus_costs (AI meters, and
-- credits / adjustments on an AI account: allocated_cost_rows()), summed per billing month, charge date, billing
-- account, currency, subscription and resource, against fct_cost_allocation_daily (cents: within half a cent) and
-- focus_costs_allocated (full precision). Fails on every account-day that differs or exists on one side only.
{%- set unit = [
    'billing_month', 'charge_date', 'billing_account_id', 'billing_currency', 'sub_account_id', 'resource_id',
] %}
{%- set join_conditions = [] %}
{%- for c in unit %}{% do join_conditions.append('source_costs.' ~ c ~ ' is not distinct from MART.' ~ c) %}{% endfor %}

with ai_cost_rows as (
    {{ aoai_finops.allocated_cost_rows(
        ref('focus_costs'), aoai_finops.tested_billing_months_in('charges.x_BillingMonth')
    ) | indent(4) }}
),

daily as (
    select
        {{ unit | join(',\n        ') }},
        sum(allocated_billed_cost) as billed_cost,
        sum(allocated_effective_cost) as effective_cost
    from {{ aoai_finops.tested_rows(ref('fct_cost_allocation_daily')) }}
    group by {{ unit | join(', ') }}
),

{#- The source rows and the allocated charges, both in FOCUS columns, summed the same way. -#}
{%- for name, relation in [
    ('source_costs', 'ai_cost_rows'),
    ('allocated_charges', aoai_finops.tested_rows(ref('focus_costs_allocated'))),
] %}

{{ name }} as (
    select
        x_BillingMonth as billing_month,
        cast(ChargePeriodStart as date) as charge_date,
        BillingAccountId as billing_account_id,
        BillingCurrency as billing_currency,
        SubAccountId as sub_account_id,
        ResourceId as resource_id,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ relation }}
    group by
        x_BillingMonth, cast(ChargePeriodStart as date), BillingAccountId, BillingCurrency, SubAccountId, ResourceId
),
{%- endfor %}

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
