-- json_extract_string and json_object_from_pairs give the same text on every engine.
{%- set backslash = 'chr(92)' %}
{{ aoai_finops.check_cases([
    ('key', aoai_finops.json_extract_string("'{\"team\":\"search\",\"env\":\"prod\"}'", 'team'), "'search'"),
    ('dash in key', aoai_finops.json_extract_string("'{\"cost-center\":\"CC 1\"}'", 'cost-center'), "'CC 1'"),
    ('dot and space in key', aoai_finops.json_extract_string("'{\"a.b c\":\"x\"}'", 'a.b c'), "'x'"),
    ('nested path', aoai_finops.json_extract_string("'{\"a\":{\"b\":\"nested\"}}'", ['a', 'b']), "'nested'"),
    ('number', aoai_finops.json_extract_string("'{\"n\":1.50}'", 'n'), "'1.5'"),
    ('boolean', aoai_finops.json_extract_string("'{\"b\":true}'", 'b'), "'true'"),
    ('object as text', aoai_finops.json_extract_string("'{\"a\":{\"c\":1}}'", 'a'), "'{\"c\":1}'"),
    ('json null', aoai_finops.json_extract_string("'{\"n\":null}'", 'n'), 'null'),
    ('missing key', aoai_finops.json_extract_string("'{\"n\":1}'", 'missing'), 'null'),
    ('malformed', aoai_finops.json_extract_string("'not json'", 'n'), 'null'),
    ('empty string', aoai_finops.json_extract_string("''", 'n'), 'null'),
    ('null document', aoai_finops.json_extract_string('cast(null as string)', 'n'), 'null'),
    (
        'object from pairs',
        aoai_finops.json_object_from_pairs([
            ('team', "'search'"),
            ('tokens', '1500'),
            ('price', 'cast(0.5 as double)'),
            ('missing', 'cast(null as string)'),
            ('path', "'/subscriptions/ü \"x\"'"),
        ]),
        "'{\"team\":\"search\",\"tokens\":\"1500\",\"price\":\"0.5\",\"missing\":null,\"path\":\"/subscriptions/ü '"
        ~ " || " ~ backslash ~ " || '\"x' || " ~ backslash ~ " || '\"\"}'",
    ),
]) }}
