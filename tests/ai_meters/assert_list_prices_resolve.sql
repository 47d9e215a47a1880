-- The catalog resolves the list prices the project is built on (docs/azure-openai-cost-data.md section 4)
-- and its conventions, through the same macro the pipeline uses. A row here is a price that resolved wrong.

with

cases as (
    {%- set cases = [
        ('gpt-4o', none, 'global', 'input', false, false, 2.50),
        ('gpt-4o', none, 'global', 'cached_input', false, false, 1.25),
        ('gpt-4o', none, 'global', 'output', false, false, 10.0),
        ('gpt-4o', '2024-11-20', 'global', 'input', false, false, 2.50),
        ('gpt-4o', '2024-05-13', 'global', 'input', false, false, 5.00),
        ('gpt-4o', '2024-05-13', 'global', 'output', true, false, 7.50),
        ('gpt-4o', none, 'data_zone', 'input', false, false, 2.75),
        ('gpt-4o', none, 'regional', 'output', false, false, 11.0),
        ('gpt-4o', none, 'global', 'input', true, false, 1.25),
        ('gpt-4o', none, 'data_zone', 'output', true, false, 5.5),
        ('gpt-4o-mini', '2024-07-18', 'global', 'input', false, false, 0.15),
        ('gpt-4o-mini', none, 'global', 'cached_input', false, false, 0.075),
        ('gpt-4o-mini', none, 'global', 'output', false, false, 0.60),
        ('gpt-4o-mini', none, 'data_zone', 'cached_input', false, false, 0.0825),
        ('gpt-4.1', none, 'global', 'input', false, false, 2.00),
        ('gpt-4.1', none, 'global', 'cached_input', false, false, 0.50),
        ('gpt-4.1', none, 'global', 'output', false, false, 8.00),
        ('gpt-4.1', none, 'global', 'input', false, true, 3.50),
        ('gpt-4.1-mini', none, 'global', 'input', false, false, 0.40),
        ('gpt-4.1-mini', none, 'global', 'cached_input', false, false, 0.10),
        ('gpt-4.1-mini', none, 'global', 'output', false, false, 1.60),
        ('gpt-4.1-nano', none, 'global', 'input', false, false, 0.10),
        ('gpt-4.1-nano', none, 'global', 'cached_input', false, false, 0.025),
        ('gpt-4.1-nano', none, 'global', 'output', false, false, 0.40),
        ('gpt-4.1-nano', none, 'global', 'input', false, true, none),
        ('o3', '2025-04-16', 'global', 'input', false, false, 2.00),
        ('o3', none, 'global', 'cached_input', false, false, 0.50),
        ('o3', none, 'global', 'output', false, false, 8.00),
        ('o4-mini', none, 'global', 'input', false, false, 1.10),
        ('o4-mini', none, 'global', 'cached_input', false, false, 0.275),
        ('o4-mini', none, 'global', 'output', false, false, 4.40),
        ('gpt-5', none, 'global', 'input', false, false, 1.25),
        ('gpt-5', none, 'global', 'cached_input', false, false, 0.125),
        ('gpt-5', none, 'global', 'output', false, false, 10.0),
        ('gpt-5', none, 'data_zone', 'cached_input', false, true, 0.240625),
        ('gpt-5', none, 'data_zone', 'output', true, false, 5.5),
        ('gpt-5-mini', none, 'global', 'input', false, false, 0.25),
        ('gpt-5-mini', none, 'global', 'cached_input', false, false, 0.025),
        ('gpt-5-mini', none, 'global', 'output', false, false, 2.00),
        ('gpt-5-mini', none, 'global', 'input', false, true, 0.4375),
        ('gpt-5-nano', none, 'global', 'input', false, false, 0.05),
        ('gpt-5-nano', none, 'global', 'cached_input', false, false, 0.005),
        ('gpt-5-nano', none, 'global', 'output', false, false, 0.40),
        ('text-embedding-3-large', none, 'global', 'input', false, false, 0.13),
        ('text-embedding-3-large', none, 'regional', 'input', false, false, 0.143),
        ('text-embedding-3-small', none, 'global', 'input', false, false, 0.02),
        ('gpt-4.5-preview', none, 'global', 'input', false, false, none),
    ] %}
    {%- for model_id, model_version, deployment_type, token_type, is_batch, is_priority, expected in cases %}
    select
        {{ loop.index }} as case_id,
        'tokens' as charge_kind,
        '{{ model_id }}' as model_id,
        {{ "'" ~ model_version ~ "'" if model_version else 'cast(null as string)' }} as model_version,
        '{{ deployment_type }}' as deployment_type,
        '{{ token_type }}' as token_type,
        'text' as token_modality,
        'standard' as long_context_tier,
        {{ is_batch }} as is_batch,
        {{ is_priority }} as is_priority,
        cast('2026-06-01' as date) as priced_on,
        cast({{ expected if expected is not none else 'null' }} as double) as expected_usd
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    union all
    -- long context, PTU, a date before the catalog starts
    select
        101 as case_id,
        'tokens' as charge_kind,
        'gpt-5.4' as model_id,
        cast(null as string) as model_version,
        'global' as deployment_type,
        'input' as token_type,
        'text' as token_modality,
        'long' as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast('2026-06-01' as date) as priced_on,
        cast(5.0 as double) as expected_usd
    union all
    select
        102 as case_id,
        'ptu_hours' as charge_kind,
        cast(null as string) as model_id,
        cast(null as string) as model_version,
        'provisioned_global' as deployment_type,
        cast(null as string) as token_type,
        cast(null as string) as token_modality,
        cast(null as string) as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast('2026-06-01' as date) as priced_on,
        cast(1.0 as double) as expected_usd
    union all
    select
        103 as case_id,
        'ptu_hours' as charge_kind,
        cast(null as string) as model_id,
        cast(null as string) as model_version,
        'provisioned_regional' as deployment_type,
        cast(null as string) as token_type,
        cast(null as string) as token_modality,
        cast(null as string) as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast('2026-06-01' as date) as priced_on,
        cast(2.0 as double) as expected_usd
    union all
    select
        104 as case_id,
        'tokens' as charge_kind,
        'gpt-4o' as model_id,
        cast(null as string) as model_version,
        'global' as deployment_type,
        'input' as token_type,
        'text' as token_modality,
        'standard' as long_context_tier,
        false as is_batch,
        false as is_priority,
        cast('2023-12-31' as date) as priced_on,
        cast(null as double) as expected_usd
),

resolved as (
    {{ resolve_ai_list_price('cases', 'priced_on') }}
)

select *
from resolved
where
    (expected_usd is null and list_unit_price_usd is not null)
    or (expected_usd is not null and list_unit_price_usd is null)
    or abs(list_unit_price_usd - expected_usd) > 1e-9
    or (
        list_unit_price_usd is not null
        and charge_kind = 'tokens'
        and abs(list_usd_per_unit * 1000000 - expected_usd) > 1e-9
    )
