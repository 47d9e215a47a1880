-- Project price conventions (docs/price-catalog.md), which the sample generator bills with:
--   Data Zone and Regional = exactly 1.1 x Global, Batch = exactly 0.5 x standard, priority = exactly 1.75 x
--   standard, each for the same model, version, token type and overlapping effective range.
-- Warn level: real Azure prices brought in by scripts/refresh_price_catalog.py may be rounded differently;
-- every warning is a row to look at.
{{ config(severity='warn') }}

with

prices as (
    select
        model_id,
        model_version,
        deployment_type,
        token_type,
        token_modality,
        long_context_tier,
        is_batch,
        is_priority,
        unit_price_usd,
        effective_from,
        coalesce(model_version, '(any)') as version_key,
        coalesce(effective_to, cast('9999-12-31' as date)) as effective_until
    from {{ ref('int_ai_price_catalog') }}
    where charge_kind = 'tokens' and pricing_model = 'on_demand'
),

derived as (
    select
        'data zone / regional = 1.1 x global' as convention,
        1.1 as factor,
        derived_price.model_id,
        derived_price.model_version,
        derived_price.deployment_type,
        derived_price.token_type,
        derived_price.is_batch,
        derived_price.is_priority,
        derived_price.long_context_tier,
        derived_price.unit_price_usd,
        base_price.unit_price_usd as base_price_usd
    from prices as derived_price
    left join prices as base_price
        on
            derived_price.model_id = base_price.model_id
            and derived_price.version_key = base_price.version_key
            and derived_price.token_type = base_price.token_type
            and derived_price.token_modality = base_price.token_modality
            and derived_price.long_context_tier = base_price.long_context_tier
            and derived_price.is_batch = base_price.is_batch
            and derived_price.is_priority = base_price.is_priority
            and base_price.deployment_type = 'global'
            and derived_price.effective_from < base_price.effective_until
            and derived_price.effective_until > base_price.effective_from
    where derived_price.deployment_type in ('data_zone', 'regional')

    union all

    select
        case when derived_price.is_batch then 'batch = 0.5 x standard' else 'priority = 1.75 x standard' end
            as convention,
        case when derived_price.is_batch then 0.5 else 1.75 end as factor,
        derived_price.model_id,
        derived_price.model_version,
        derived_price.deployment_type,
        derived_price.token_type,
        derived_price.is_batch,
        derived_price.is_priority,
        derived_price.long_context_tier,
        derived_price.unit_price_usd,
        base_price.unit_price_usd as base_price_usd
    from prices as derived_price
    left join prices as base_price
        on
            derived_price.model_id = base_price.model_id
            and derived_price.version_key = base_price.version_key
            and derived_price.deployment_type = base_price.deployment_type
            and derived_price.token_type = base_price.token_type
            and derived_price.token_modality = base_price.token_modality
            and derived_price.long_context_tier = base_price.long_context_tier
            and not base_price.is_batch
            and not base_price.is_priority
            and derived_price.effective_from < base_price.effective_until
            and derived_price.effective_until > base_price.effective_from
    where derived_price.is_batch or derived_price.is_priority
)

select *
from derived
where base_price_usd is null or abs(unit_price_usd - base_price_usd * factor) > 1e-9
