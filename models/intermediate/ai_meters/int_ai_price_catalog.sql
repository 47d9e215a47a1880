-- The effective-dated list price catalog (seed ai_price_catalog), typed, with the price of one single unit
-- (one token, one PTU-hour) next to the price per price unit. Look prices up with the macro
-- resolve_ai_list_price (macros/ai_meters/resolve_ai_list_price.sql).

select
    cast(charge_kind as string) as charge_kind,
    cast(pricing_model as string) as pricing_model,
    cast(model_id as string) as model_id,
    cast(model_version as string) as model_version,
    cast(deployment_type as string) as deployment_type,
    cast(token_type as string) as token_type,
    cast(token_modality as string) as token_modality,
    cast(long_context_tier as string) as long_context_tier,
    cast(is_batch as boolean) as is_batch,
    cast(is_priority as boolean) as is_priority,
    cast(unit_price_usd as double) as unit_price_usd,
    cast(price_unit as string) as price_unit,
    cast(price_unit_size as bigint) as price_unit_size,
    cast(effective_from as date) as effective_from,
    cast(effective_to as date) as effective_to,
    cast(confidence as string) as confidence,
    cast(source as string) as source,
    cast(note as string) as note,
    cast(unit_price_usd as double) / cast(price_unit_size as double) as usd_per_unit
from {{ ref('ai_price_catalog') }}
