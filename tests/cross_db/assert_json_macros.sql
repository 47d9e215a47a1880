-- json_extract_string and json_object_from_pairs give the same text on every engine.
with cases as (
    select 1 as case_id, {{ aoai_finops.json_extract_string("'{\"team\":\"search\",\"env\":\"prod\"}'", 'team') }} as actual, 'search' as expected
    union all select 2, {{ aoai_finops.json_extract_string("'{\"cost-center\":\"CC 1\"}'", 'cost-center') }}, 'CC 1'
    union all select 3, {{ aoai_finops.json_extract_string("'{\"a.b c\":\"x\"}'", 'a.b c') }}, 'x'
    union all select 4, {{ aoai_finops.json_extract_string("'{\"a\":{\"b\":\"nested\"}}'", ['a', 'b']) }}, 'nested'
    union all select 5, {{ aoai_finops.json_extract_string("'{\"n\":1.50}'", 'n') }}, '1.5'
    union all select 6, {{ aoai_finops.json_extract_string("'{\"n\":null}'", 'n') }}, cast(null as string)
    union all select 7, {{ aoai_finops.json_extract_string("'not json'", 'n') }}, cast(null as string)
    union all select 8, {{ aoai_finops.json_extract_string("'{\"n\":1}'", 'missing') }}, cast(null as string)
    union all select 9, {{ aoai_finops.json_extract_string("cast(null as string)", 'n') }}, cast(null as string)
    union all select 10, {{ aoai_finops.json_extract_string("'{\"a\":{\"c\":1}}'", 'a') }}, '{"c":1}'
    union all select 11, {{ aoai_finops.json_extract_string("''", 'a') }}, cast(null as string)
    union all select 12, {{ aoai_finops.json_extract_string("'{\"b\":true}'", 'b') }}, 'true'
    union all select
        20,
        {{ aoai_finops.json_object_from_pairs([
            ('team', "'search'"),
            ('tokens', '1500'),
            ('price', 'cast(0.5 as double)'),
            ('missing', 'cast(null as string)'),
            ('path', "'/subscriptions/ü \"x\"'"),
        ]) }},
        -- JSON escapes the inner quotes with a backslash: chr(92), since a '\' literal differs per engine.
        '{"team":"search","tokens":"1500","price":"0.5","missing":null,"path":"/subscriptions/ü '
        || chr(92) || '"x' || chr(92) || '""}'
)

select *
from cases
where actual is distinct from expected
