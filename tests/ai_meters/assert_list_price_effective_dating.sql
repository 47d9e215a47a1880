-- resolve_ai_list_price on a small synthetic catalog: effective ranges (from inclusive, to exclusive),
-- a price change, a version-specific price that starts later than the any-version one, reservations.

with

synthetic_prices as (
    {%- set rows = [
        ('on_demand', none, '2025-01-01', '2025-06-01', 1.00),
        ('on_demand', none, '2025-06-01', none, 0.80),
        ('on_demand', '2025-03-01', '2025-03-01', none, 2.00),
        ('reservation_1_year', none, '2025-01-01', none, 100.0),
    ] %}
    {%- for pricing_model, model_version, effective_from, effective_to, price in rows %}
    select
        'tokens' as charge_kind,
        '{{ pricing_model }}' as pricing_model,
        'model-x' as model_id,
        {{ "'" ~ model_version ~ "'" if model_version else 'cast(null as string)' }} as model_version,
        'global' as deployment_type,
        'input' as token_type,
        'text' as token_modality,
        'standard' as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast({{ price }} as double) as unit_price_usd,
        '1M tokens' as price_unit,
        cast(1000000 as bigint) as price_unit_size,
        cast({{ price }} as double) / 1000000 as usd_per_unit,
        cast('{{ effective_from }}' as date) as effective_from,
        {{ "cast('" ~ effective_to ~ "' as date)" if effective_to else 'cast(null as date)' }} as effective_to,
        'high' as confidence
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

cases as (
    {%- set cases = [
        (1, none, 'on_demand', '2024-12-31', none),
        (2, none, 'on_demand', '2025-01-01', 1.00),
        (3, none, 'on_demand', '2025-05-31', 1.00),
        (4, none, 'on_demand', '2025-06-01', 0.80),
        (5, '2025-03-01', 'on_demand', '2025-02-28', 1.00),
        (6, '2025-03-01', 'on_demand', '2025-03-01', 2.00),
        (7, '2025-03-01', 'on_demand', '2026-01-01', 2.00),
        (8, '2099-01-01', 'on_demand', '2026-01-01', 0.80),
        (9, none, 'reservation_1_year', '2026-01-01', 100.0),
    ] %}
    {%- for case_id, model_version, pricing_model, priced_on, expected in cases %}
    select
        {{ case_id }} as case_id,
        'tokens' as charge_kind,
        '{{ pricing_model }}' as pricing_model,
        'model-x' as model_id,
        {{ "'" ~ model_version ~ "'" if model_version else 'cast(null as string)' }} as model_version,
        'global' as deployment_type,
        'input' as token_type,
        'text' as token_modality,
        'standard' as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast('{{ priced_on }}' as date) as priced_on,
        cast({{ expected if expected is not none else 'null' }} as double) as expected_usd
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

resolved as (
    {{ resolve_ai_list_price('cases', 'priced_on', pricing_model='pricing_model', prices='synthetic_prices') }}
)

select *
from resolved
where
    (expected_usd is null and list_unit_price_usd is not null)
    or (expected_usd is not null and list_unit_price_usd is null)
    or abs(list_unit_price_usd - expected_usd) > 1e-9
