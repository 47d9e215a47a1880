-- One row per distinct cost meter (nothing dropped), classified from its name, category and unit.
--
-- How: every meter is matched against every pattern of the seed ai_meter_patterns; for each meter and
-- attribute the matching pattern with the lowest priority wins; the winners are pivoted into columns. A row of
-- ai_meter_overrides (matched on the meter name) wins over every rule. Model family, developer and modality
-- come from ai_model_catalog when the model is known, version codes (0718) become versions (2024-07-18)
-- through ai_model_versions, the unit of measure becomes a block size through ai_pricing_units.
-- Rules and patterns are data (docs/meter-intelligence.md); the only engine-specific SQL is in the
-- regex_matches / regex_extract macros.

{%- set rule_attributes = [
    'is_ai_meter', 'model_id', 'model_family', 'model_developer', 'model_version', 'model_version_code',
    'modality', 'token_modality', 'charge_kind', 'consumed_unit', 'deployment_type', 'token_direction',
    'cache_action', 'is_batch', 'is_priority', 'long_context_tier',
] %}
{%- set override_attributes = [
    'model_id', 'model_version', 'modality', 'token_modality', 'charge_kind', 'consumed_unit', 'deployment_type',
    'token_direction', 'cache_action', 'is_batch', 'is_priority', 'long_context_tier',
] %}
{#- An override is a full classification: these come from the model catalog, never from the rules. #}
{%- set override_nulls = ['model_family', 'model_developer', 'model_version_code'] %}

with

meters as (
    select
        meter_key,
        meter_id,
        meter_name,
        meter_category,
        meter_subcategory,
        unit_of_measure,
        resource_type
    from {{ ref('int_cost_meters') }}
),

patterns as (
    select
        pattern_id,
        attribute,
        match_on,
        priority,
        value,
        -- three empty groups make groups 1-3 exist in every pattern, so extracting them never fails
        {{ dbt.concat(['pattern', "'()()()'"]) }} as pattern
    from {{ ref('ai_meter_patterns') }}
),

candidates as (
    select
        meters.meter_key,
        patterns.attribute,
        patterns.priority,
        patterns.pattern_id,
        patterns.value,
        patterns.pattern,
        case patterns.match_on
            when 'meter_name' then meters.meter_name
            when 'meter_category' then meters.meter_category
            when 'meter_subcategory' then meters.meter_subcategory
            when 'unit_of_measure' then meters.unit_of_measure
            when 'resource_type' then meters.resource_type
        end as match_text
    from meters
    cross join patterns
),

rule_hits as (
    select
        meter_key,
        attribute,
        priority,
        pattern_id,
        replace(
            replace(
                replace(value, '{1}', lower({{ regex_extract('match_text', 'pattern', 1) }})),
                '{2}', lower({{ regex_extract('match_text', 'pattern', 2) }})
            ),
            '{3}', lower({{ regex_extract('match_text', 'pattern', 3) }})
        ) as value
    from candidates
    where {{ regex_matches('match_text', 'pattern') }}
),

overridden as (
    select
        overrides.*,
        meters.meter_key
    from meters
    inner join {{ ref('ai_meter_overrides') }} as overrides
        on lower(trim(meters.meter_name)) = lower(trim(overrides.meter_name))
),

override_hits as (
    {%- for attribute in ['is_ai_meter'] + override_attributes + override_nulls %}
    select
        meter_key,
        '{{ attribute }}' as attribute,
        0 as priority,
        'override' as pattern_id,
        {% if attribute == 'is_ai_meter' -%}
        'true'
        {%- elif attribute in override_nulls -%}
        cast(null as string)
        {%- else -%}
        nullif(trim(cast({{ attribute }} as string)), '')
        {%- endif %} as value
    from overridden
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

hits as (
    select
        meter_key,
        attribute,
        priority,
        pattern_id,
        value
    from rule_hits
    union all
    select
        meter_key,
        attribute,
        priority,
        pattern_id,
        value
    from override_hits
),

ranked as (
    select
        meter_key,
        attribute,
        pattern_id,
        value,
        row_number() over (partition by meter_key, attribute order by priority, pattern_id) as hit_rank
    from hits
),

winners as (
    select
        meter_key,
        {%- for attribute in rule_attributes %}
        max(case when attribute = '{{ attribute }}' then value end) as {{ attribute }},
        {%- endfor %}
        max(case when pattern_id = 'override' then 1 else 0 end) = 1 as has_override
    from ranked
    where hit_rank = 1
    group by meter_key
),

ai_meters as (
    select
        winners.meter_key,
        winners.has_override,
        winners.model_id,
        winners.charge_kind,
        winners.consumed_unit,
        winners.deployment_type,
        charge_kinds.is_token_charge,
        charge_kinds.requires_model,
        charge_kinds.requires_deployment_type,
        units.pricing_block_size as unit_block_size,
        winners.is_batch = 'true' as is_batch,
        winners.is_priority = 'true' as is_priority,
        -- model attributes only for a meter that names a model; the curated catalog wins over the rules
        case when winners.model_id is not null then coalesce(model_catalog.model_family, winners.model_family) end
            as model_family,
        case when winners.model_id is not null then coalesce(model_catalog.model_developer, winners.model_developer) end
            as model_developer,
        case when winners.model_id is not null then coalesce(model_catalog.modality, winners.modality) end as modality,
        case when winners.model_id is not null then coalesce(winners.model_version, versions.model_version) end
            as model_version,
        case when winners.model_id is not null then winners.model_version_code end as model_version_code,
        -- token attributes only for token meters
        case when charge_kinds.is_token_charge then winners.token_direction end as token_direction,
        case when charge_kinds.is_token_charge then winners.cache_action end as cache_action,
        case when charge_kinds.is_token_charge then winners.token_modality end as token_modality,
        case when charge_kinds.is_token_charge then winners.long_context_tier end as long_context_tier
    from winners
    inner join meters
        on winners.meter_key = meters.meter_key
    left join {{ ref('ai_model_catalog') }} as model_catalog
        on winners.model_id = model_catalog.model_id
    left join {{ ref('ai_model_versions') }} as versions
        on
            winners.model_id = versions.model_id
            and winners.model_version_code = versions.version_code
    left join {{ ref('ai_pricing_units') }} as units
        on lower(trim(meters.unit_of_measure)) = lower(trim(units.unit_of_measure))
    left join {{ ref('ai_charge_kinds') }} as charge_kinds
        on winners.charge_kind = charge_kinds.charge_kind
    where winners.is_ai_meter = 'true'
),

typed as (
    select
        meter_key,
        has_override,
        model_family,
        model_id,
        model_version,
        model_version_code,
        model_developer,
        modality,
        charge_kind,
        token_direction,
        cache_action,
        token_modality,
        deployment_type,
        is_batch,
        is_priority,
        long_context_tier,
        unit_block_size,
        consumed_unit,
        case
            when token_direction = 'output' then 'output'
            when token_direction = 'input' and cache_action = 'read' then 'cached_input'
            when token_direction = 'input' and cache_action = 'write' then 'cache_write_input'
            when token_direction = 'input' and cache_action = 'uncached' then 'input'
        end as token_type,
        coalesce(
            charge_kind is not null
            and is_token_charge is not null
            and consumed_unit is not null
            and unit_block_size is not null
            and is_batch is not null
            and is_priority is not null
            and (not requires_deployment_type or deployment_type is not null)
            and (
                not requires_model
                or (
                    model_id is not null
                    and model_family is not null
                    and model_developer is not null
                    and modality is not null
                )
            )
            and (
                not is_token_charge
                or (
                    token_direction is not null
                    and cache_action is not null
                    and token_modality is not null
                    and long_context_tier is not null
                )
            ),
            false
        ) as is_fully_classified
    from ai_meters
)

select
    cast(meters.meter_key as string) as meter_key,
    cast(meters.meter_id as string) as meter_id,
    cast(meters.meter_name as string) as meter_name,
    cast(meters.meter_category as string) as meter_category,
    cast(meters.meter_subcategory as string) as meter_subcategory,
    cast(meters.unit_of_measure as string) as unit_of_measure,
    cast(meters.resource_type as string) as resource_type,
    cast(typed.meter_key is not null as boolean) as is_ai_meter,
    cast(typed.model_family as string) as model_family,
    cast(typed.model_id as string) as model_id,
    cast(typed.model_version as string) as model_version,
    cast(typed.model_version_code as string) as model_version_code,
    cast(typed.model_developer as string) as model_developer,
    cast(typed.modality as string) as modality,
    cast(typed.charge_kind as string) as charge_kind,
    cast(typed.token_direction as string) as token_direction,
    cast(typed.cache_action as string) as cache_action,
    cast(typed.token_type as string) as token_type,
    cast(typed.token_modality as string) as token_modality,
    cast(typed.deployment_type as string) as deployment_type,
    cast(typed.is_batch as boolean) as is_batch,
    cast(typed.is_priority as boolean) as is_priority,
    cast(typed.long_context_tier as string) as long_context_tier,
    cast(typed.unit_block_size as bigint) as unit_block_size,
    cast(typed.consumed_unit as string) as consumed_unit,
    cast(
        case
            when typed.meter_key is null then null
            when typed.has_override then 'override'
            when typed.is_fully_classified then 'rules'
            else 'unclassified'
        end as string
    ) as classification_source,
    coalesce(typed.is_fully_classified, false) as is_fully_classified
from meters
left join typed
    on meters.meter_key = typed.meter_key
