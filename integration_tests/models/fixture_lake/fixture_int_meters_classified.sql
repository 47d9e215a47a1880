-- Fixture intermediate model: classify meters with regex patterns held in a seed (the pattern that matches
-- with the lowest pattern_id wins; row_number instead of QUALIFY; regex from data, never from literals).
with meters as (
    select distinct meter_name
    from {{ ref('fixture_stg_focus_cost') }}
),

candidates as (
    select
        meters.meter_name,
        patterns.pattern_id,
        patterns.model_family,
        patterns.token_direction,
        {{ aoai_finops.regex_extract('meters.meter_name', 'patterns.meter_pattern', 1) }} as model_version,
        row_number() over (partition by meters.meter_name order by patterns.pattern_id) as match_rank
    from meters
    inner join {{ ref('fixture_meter_patterns') }} as patterns
        on {{ aoai_finops.regex_matches('meters.meter_name', 'patterns.meter_pattern') }}
)

select
    meters.meter_name,
    coalesce(candidates.model_family, 'unclassified') as model_family,
    coalesce(candidates.token_direction, 'unclassified') as token_direction,
    candidates.model_version,
    cast(candidates.pattern_id as integer) as pattern_id
from meters
left join candidates
    on meters.meter_name = candidates.meter_name and candidates.match_rank = 1
