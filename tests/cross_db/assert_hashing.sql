-- surrogate_key gives the same md5 on every engine for strings, integers, dates, timestamps, booleans and
-- nulls; uuid() is a 36-character string. Expected values: Python's hashlib.md5 of the joined text.
{{ aoai_finops.check_cases([
    (
        'string and null',
        aoai_finops.surrogate_key(["'search'", 'cast(null as string)']),
        "'27bceba5799f97677b5a76e60c62243f'",
    ),
    (
        'int date timestamp boolean',
        aoai_finops.surrogate_key(['42', "cast('2024-05-01' as date)", "cast('2024-05-01 10:11:12' as timestamp)", 'true']),
        "'8b90f4d4ec75e25d238e55291d12886d'",
    ),
    ('uuid length', 'length(' ~ aoai_finops.uuid() ~ ')', '36'),
]) }}
