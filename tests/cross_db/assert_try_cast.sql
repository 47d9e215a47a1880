-- try_cast gives null instead of an error on every engine.
{{ aoai_finops.check_cases([
    ('double ok', aoai_finops.try_cast("'1.25'", 'double'), "'1.25'"),
    ('double bad', aoai_finops.try_cast("'abc'", 'double'), 'null'),
    ('bigint with spaces', aoai_finops.try_cast("' 12 '", 'bigint'), "'12'"),
    ('integer bad', aoai_finops.try_cast("'x1'", 'integer'), 'null'),
    ('date ok', aoai_finops.try_cast("'2024-02-29'", 'date'), "'2024-02-29'"),
    ('date bad', aoai_finops.try_cast("'2024-02-30'", 'date'), 'null'),
    ('boolean', aoai_finops.try_cast("'true'", 'boolean'), "'true'"),
    ('timestamp', aoai_finops.try_cast("'2024-05-01 10:11:12'", 'timestamp'), "'2024-05-01 10:11:12'"),
]) }}
