-- is_json_object tells JSON objects from everything else the same way on every engine.
{{ aoai_finops.check_cases([
    ('object', aoai_finops.is_json_object("'{\"a\":\"b\",\"c\":\"d\"}'"), 'true'),
    ('object with spaces', aoai_finops.is_json_object("'{\"a\": \"b\", \"c\": \"d\"}'"), 'true'),
    ('nested object', aoai_finops.is_json_object("'{\"a\":{\"b\":1},\"n\":2}'"), 'true'),
    ('empty object', aoai_finops.is_json_object("'{}'"), 'true'),
    ('ea tags without braces', aoai_finops.is_json_object("'\"a\": \"b\",\"c\": \"d\"'"), 'false'),
    ('array', aoai_finops.is_json_object("'[1,2]'"), 'false'),
    ('string', aoai_finops.is_json_object("'\"text\"'"), 'false'),
    ('malformed', aoai_finops.is_json_object("'{\"a\":'"), 'false'),
    ('empty string', aoai_finops.is_json_object("''"), 'false'),
    ('null', aoai_finops.is_json_object('cast(null as string)'), 'null'),
]) }}
