-- Every cost row, normalised the way FinOps hubs do it, and labelled with what its meter says about AI usage.
--   * ResourceId lower-cased: Azure varies its casing between rows of the same resource.
--   * Quantities of token meters in single tokens: Azure counts them in blocks of its unit of measure
--     (1K or 1M tokens), and export versions disagree on whether ConsumedQuantity is multiplied out.
{%- set token_meter = "meters.charge_kind = 'tokens'" %}
{%- set block_size = "coalesce(cost_rows.x_PricingBlockSize, meters.unit_block_size, 1)" %}
{%- set computed = {
    'ResourceId': "lower(nullif(cost_rows.ResourceId, ''))",
    'ConsumedQuantity':
        "case when " ~ token_meter ~ " then cost_rows.PricingQuantity * " ~ block_size
        ~ " else cost_rows.ConsumedQuantity end",
    'ConsumedUnit': "case when " ~ token_meter ~ " then 'Tokens' else cost_rows.ConsumedUnit end",
    'x_PricingBlockSize': block_size,
} %}

with cost_rows as (
    select * from {{ ref('int_cost_rows_unioned') }}
),

meters as (
    select * from {{ ref('int_ai_meters_classified') }}
),

normalized as (
    select
        {%- for column in focus_cost_columns() + microsoft_x_columns() + lineage_columns().values() | list %}
        {{ computed.get(column, 'cost_rows.' ~ column) }} as {{ column }},
        {%- endfor %}
        coalesce(meters.is_ai_meter, false) as x_AiIsAiMeter,
        meters.classification_source as x_AiClassificationSource,
        meters.model_family as x_AiModelFamily,
        meters.model_id as x_AiModelId,
        meters.model_version as x_AiModelVersion,
        meters.modality as x_AiModality,
        meters.charge_kind as x_AiChargeKind,
        meters.token_direction as x_AiTokenDirection,
        meters.cache_action as x_AiTokenCacheAction,
        meters.token_type as x_AiTokenType,
        meters.deployment_type as x_AiDeploymentType,
        meters.is_batch as x_AiIsBatch,
        meters.is_priority as x_AiIsPriority,
        meters.long_context_tier as x_AiLongContextTier
    from cost_rows
    left join meters
        on {{ meter_identity_join('cost_rows', 'meters') }}
)

select * from normalized
