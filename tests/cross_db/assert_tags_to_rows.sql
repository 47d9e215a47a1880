-- tags_to_rows turns a JSON object column into (key, value) rows the same way on every engine.
with docs as (
    select
        1 as doc_id,
        '{"team":"search","env":"prod"}' as tags_json
    union all
    select
        2 as doc_id,
        cast(null as string) as tags_json
    union all
    select
        3 as doc_id,
        '{}' as tags_json
    union all
    select
        4 as doc_id,
        'not json' as tags_json
    union all
    select
        5 as doc_id,
        '{"Team":"chat","n":1.50,"o":{"x":1},"z":null,"cost-center":"CC 1"}' as tags_json
    union all
    select
        6 as doc_id,
        '["a"]' as tags_json
    union all
    select
        7 as doc_id,
        '' as tags_json
),

actual as (
    {{ aoai_finops.tags_to_rows('docs', 'tags_json', ['doc_id']) }}
),

actual_outer as (
    {{ aoai_finops.tags_to_rows('docs', 'tags_json', ['doc_id'], key_name='k', value_name='v', outer=true) }}
),

actual_all_columns as (
    {{ aoai_finops.tags_to_rows('docs', 'tags_json') }}
),

expected as (
    select
        1 as doc_id,
        'team' as tag_key,
        'search' as tag_value
    union all
    select
        1 as doc_id,
        'env' as tag_key,
        'prod' as tag_value
    union all
    select
        5 as doc_id,
        'Team' as tag_key,
        'chat' as tag_value
    union all
    select
        5 as doc_id,
        'n' as tag_key,
        '1.5' as tag_value
    union all
    select
        5 as doc_id,
        'o' as tag_key,
        '{"x":1}' as tag_value
    union all
    select
        5 as doc_id,
        'z' as tag_key,
        cast(null as string) as tag_value
    union all
    select
        5 as doc_id,
        'cost-center' as tag_key,
        'CC 1' as tag_value
),

missing as (
    select
        doc_id,
        tag_key,
        tag_value
    from expected
    except
    select
        doc_id,
        tag_key,
        tag_value
    from actual
),

unexpected as (
    select
        doc_id,
        tag_key,
        tag_value
    from actual
    except
    select
        doc_id,
        tag_key,
        tag_value
    from expected
),

counts as (
    select
        (select count(*) from actual) as n_actual,
        (select count(*) from actual_outer) as n_outer,
        (select count(case when k is null then 1 end) from actual_outer) as n_outer_empty,
        (select count(tags_json) from actual_all_columns) as n_all_columns
)

select
    'missing' as problem,
    doc_id,
    tag_key,
    tag_value
from missing
union all
select
    'unexpected' as problem,
    doc_id,
    tag_key,
    tag_value
from unexpected
union all
select
    'counts' as problem,
    n_actual as doc_id,
    cast(n_outer as string) as tag_key,
    cast(n_outer_empty as string) || '/' || cast(n_all_columns as string) as tag_value
from counts
where not (n_actual = 7 and n_outer = 12 and n_outer_empty = 5 and n_all_columns = 7)
