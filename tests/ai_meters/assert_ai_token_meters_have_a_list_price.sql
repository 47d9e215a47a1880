-- Warn: fully classified AI token meters with no list price today (add the model to seeds/ai_price_catalog.csv
-- or refresh it with scripts/refresh_price_catalog.py). Such meters stay in every total; only the
-- billed-vs-list comparison cannot price them.
{{ config(severity='warn') }}

with

token_meters as (
    select
        meter_id,
        meter_name,
        charge_kind,
        model_id,
        model_version,
        deployment_type,
        token_type,
        token_modality,
        long_context_tier,
        is_batch,
        is_priority,
        current_date as priced_on
    from {{ ref('int_ai_meters_classified') }}
    where is_fully_classified and charge_kind in ('tokens', 'ptu_hours')
),

resolved as (
    {{ resolve_ai_list_price('token_meters', 'priced_on') }}
)

select
    meter_id,
    meter_name,
    model_id,
    model_version,
    deployment_type,
    token_type
from resolved
where list_unit_price_usd is null
