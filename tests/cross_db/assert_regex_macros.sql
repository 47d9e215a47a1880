-- regex_matches / regex_extract / regex_replace_all give the same results on every engine.
-- Patterns are data; case 4 builds a backslash class with chr(92) because a '\d' literal means different
-- things to DuckDB and Spark (seeded patterns: integration_tests/seeds/fixtures/fixture_regex_cases.csv).
with cases as (
    select
        1 as case_id,
        'gpt-4o-mini-0718 Inp regnl Tokens' as input_value,
        '^(gpt-[0-9.]+o?)' as pattern,
        true as expected_match,
        'gpt-4o' as expected_group
    union all select 2, 'o1-preview Outp glbl Tokens', '^gpt', false, cast(null as string)
    union all select 3, 'GPT-4.1 Inp Data Zone', '(?i)^gpt-([0-9.]+)', true, '4.1'
    union all select 4, 'gpt-4o-0513 Inp glbl Tokens', '-(' || chr(92) || 'd{4}) ', true, '0513'
    union all select 5, 'text-embedding-ada-002', 'embedding-(x)?ada', true, ''
    union all select 6, cast(null as string), 'x', cast(null as boolean), cast(null as string)
),

results as (
    select
        case_id,
        expected_match,
        expected_group,
        {{ aoai_finops.regex_matches('input_value', 'pattern') }} as actual_match,
        {{ aoai_finops.regex_extract('input_value', 'pattern', 1) }} as actual_group
    from cases
),

replaced as (
    select
        {{ aoai_finops.regex_replace_all("'gpt-4o-mini-2024'", "'[0-9]'", "'#'") }} as actual,
        'gpt-#o-mini-####' as expected
)

select
    'match/extract' as check_name,
    case_id,
    cast(actual_match as string) as actual,
    cast(expected_match as string) as expected
from results
where
    actual_match is distinct from expected_match
    or actual_group is distinct from expected_group
union all
select 'replace_all' as check_name, 0 as case_id, actual, expected
from replaced
where actual is distinct from expected
