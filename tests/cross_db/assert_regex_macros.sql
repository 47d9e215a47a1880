-- regex_matches, regex_extract and regex_replace_all give the same results on every engine. Patterns are
-- data: case 4 builds a backslash class with chr(92), because a '\d' literal means different things to DuckDB
-- and Spark (patterns read from a seed: integration_tests/tests/fixture_lake/fixture_regex_cases_from_seed.sql).
with cases as (
    select
        1 as case_id,
        'gpt-4o-mini-0718 Inp regnl Tokens' as input_value,
        '^(gpt-[0-9.]+o?)' as pattern,
        true as expected_match,
        'gpt-4o' as expected_group
    union all
    select
        2 as case_id,
        'o1-preview Outp glbl Tokens' as input_value,
        '^gpt' as pattern,
        false as expected_match,
        cast(null as string) as expected_group
    union all
    select
        3 as case_id,
        'GPT-4.1 Inp Data Zone' as input_value,
        '(?i)^gpt-([0-9.]+)' as pattern,
        true as expected_match,
        '4.1' as expected_group
    union all
    select
        4 as case_id,
        'gpt-4o-0513 Inp glbl Tokens' as input_value,
        '-(' || chr(92) || 'd{4}) ' as pattern,
        true as expected_match,
        '0513' as expected_group
    union all
    select
        5 as case_id,
        'text-embedding-ada-002' as input_value,
        'embedding-(x)?ada' as pattern,
        true as expected_match,
        '' as expected_group
    union all
    select
        6 as case_id,
        cast(null as string) as input_value,
        'x' as pattern,
        cast(null as boolean) as expected_match,
        cast(null as string) as expected_group
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
        'gpt-#o-mini-####' as expected,
        {{ aoai_finops.regex_replace_all("'gpt-4o-mini-2024'", "'[0-9]'", "'#'") }} as actual
)

select
    'match or extract' as check_name,
    case_id,
    cast(actual_match as string) as actual,
    cast(expected_match as string) as expected
from results
where
    actual_match is distinct from expected_match
    or actual_group is distinct from expected_group
union all
select
    'replace_all' as check_name,
    0 as case_id,
    actual,
    expected
from replaced
where actual is distinct from expected
