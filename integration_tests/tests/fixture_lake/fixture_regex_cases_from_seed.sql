-- Regex patterns read from a seed (with \d, \s, \w, (?i) and quotes) behave the same on both engines.
-- On Spark this also proves the seed loader override (macros/spark/seeds.sql).
select
    case_id,
    note,
    expected,
    {{ aoai_finops.regex_extract('input_value', 'pattern', 1) }} as actual
from (
    select case_id, note, expected, pattern, value as input_value
    from {{ ref('fixture_regex_cases') }}
    where grp = 1
) as cases
where {{ aoai_finops.regex_extract('input_value', 'pattern', 1) }} is distinct from expected
union all
select case_id, note, expected, cast(null as string) as actual
from {{ ref('fixture_regex_cases') }}
where grp = 0 and ({{ aoai_finops.regex_matches('value', 'pattern') }} or expected is not null)
