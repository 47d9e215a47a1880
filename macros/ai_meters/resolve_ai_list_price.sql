{#-
    resolve_ai_list_price: the list price of each row of `relation` at a date, from the price catalog.

    Returns a complete SELECT: every column of `relation` plus
        list_unit_price_usd      USD per list_price_unit (e.g. per 1M tokens, per PTU-hour); null = no price
        list_price_unit          '1M tokens', 'PTU-hour', 'PTU-month', 'PTU-year'
        list_price_unit_size     single units in one price unit (1000000 for 1M tokens)
        list_usd_per_unit        USD per single unit (one token, one PTU-hour)
        list_price_model_version the version of the catalog row used; null = the any-version row
        list_price_confidence    high / medium / low
    Use it as a CTE:  with priced as ( {{ resolve_ai_list_price('cost_rows', 'charge_date') }} ) ...

    Matching: charge_kind, pricing_model, model_id, deployment_type, token_type, token_modality,
    long_context_tier, is_batch and is_priority equal (null equals null), and
    effective_from <= at < effective_to (open when effective_to is null). A catalog row for the row's own
    model_version wins; otherwise the row with an empty model_version (any version) applies.

    Arguments are column names of `relation` (never expressions). `relation` is a CTE name or a relation.
    Pass none for token_modality / long_context_tier / charge_kind when the relation lacks them: they then
    default to 'text' / 'standard' / 'tokens'. pricing_model none (default) means 'on_demand'.
    `prices` defaults to ref('int_ai_price_catalog'); tests pass their own.
-#}
{% macro resolve_ai_list_price(
    relation,
    at_column,
    model_id='model_id',
    model_version='model_version',
    deployment_type='deployment_type',
    token_type='token_type',
    is_batch='is_batch',
    is_priority='is_priority',
    token_modality='token_modality',
    long_context_tier='long_context_tier',
    charge_kind='charge_kind',
    pricing_model=none,
    prices=none
) -%}
{%- set prices = prices if prices is not none else ref('int_ai_price_catalog') -%}
{%- set keys = [
    ('charge_kind', 'src.' ~ charge_kind if charge_kind else "'tokens'"),
    ('pricing_model', 'src.' ~ pricing_model if pricing_model else "'on_demand'"),
    ('model_id', 'src.' ~ model_id),
    ('deployment_type', 'src.' ~ deployment_type),
    ('token_type', 'src.' ~ token_type),
    ('token_modality', 'src.' ~ token_modality if token_modality else "'text'"),
    ('long_context_tier', 'src.' ~ long_context_tier if long_context_tier else "'standard'"),
] -%}
select
    src.*,
    coalesce(lp_version.unit_price_usd, lp_any.unit_price_usd) as list_unit_price_usd,
    coalesce(lp_version.price_unit, lp_any.price_unit) as list_price_unit,
    coalesce(lp_version.price_unit_size, lp_any.price_unit_size) as list_price_unit_size,
    coalesce(lp_version.usd_per_unit, lp_any.usd_per_unit) as list_usd_per_unit,
    lp_version.model_version as list_price_model_version,
    coalesce(lp_version.confidence, lp_any.confidence) as list_price_confidence
from {{ relation }} as src
{%- for alias in ['lp_version', 'lp_any'] %}
left join {{ prices }} as {{ alias }}
    on
        {%- for column, expression in keys %}
        coalesce({{ alias }}.{{ column }}, '(null)') = coalesce({{ expression }}, '(null)') and
        {%- endfor %}
        {{ alias }}.is_batch = src.{{ is_batch }}
        and {{ alias }}.is_priority = src.{{ is_priority }}
        and {{ alias }}.effective_from <= src.{{ at_column }}
        and ({{ alias }}.effective_to is null or src.{{ at_column }} < {{ alias }}.effective_to)
        {%- if alias == 'lp_version' %}
        and {{ alias }}.model_version = src.{{ model_version }}
        {%- else %}
        and {{ alias }}.model_version is null
        {%- endif %}
{%- endfor %}
{%- endmacro %}
