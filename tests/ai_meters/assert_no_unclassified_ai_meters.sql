-- Warn: AI meters in the loaded cost data that the rules cannot fully classify, with their cost (the
-- unclassified bucket, fct_ai_unclassified_meters). Their cost stays in every total; add a pattern or an
-- override (docs/meter-intelligence.md) so it is attributed to a model.
{{ config(severity='warn') }}

select
    meter_name,
    unit_of_measure,
    missing_attributes,
    cost_row_count,
    effective_cost
from {{ ref('fct_ai_unclassified_meters') }}
