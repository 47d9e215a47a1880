-- One row per resource and canonical tag key (cost_center, application, team, environment, owner) with the value
-- the resource carries, whatever the spelling of the key on the bill (`cost-center`, `CostCenter`, `costcenter`,
-- `cost_center`, `app` / `application`, `env` / `environment`, ...): the seed tag_key_aliases maps every
-- spelling, folded by normalize_tag_key(), to its canonical key. Keys the seed does not know are left out.
--
-- One value per resource and key: the value seen on the latest charge date. Tags can change over time and a
-- document can spell one key twice; ties on the latest date go to the source key first in alphabetical order.
-- A tag with a null or blank value counts as no tag; a resource without a key has no row for it.
{{ config(materialized='table') }}

with cost_rows as (
    select
        ResourceId as resource_id,
        Tags as tags_json,
        cast(ChargePeriodStart as date) as charge_date
    from {{ ref('int_cost_rows_normalized') }}
    where ResourceId is not null and Tags is not null
),

-- each distinct tag document of a resource once (thousands of cost rows carry a handful of documents)
tag_documents as (
    select
        resource_id,
        tags_json,
        min(charge_date) as first_seen_date,
        max(charge_date) as last_seen_date
    from cost_rows
    group by resource_id, tags_json
),

source_tags as (
    {{ aoai_finops.tags_to_rows(
        'tag_documents', 'tags_json', ['resource_id', 'first_seen_date', 'last_seen_date'],
        key_name='source_tag_key', value_name='source_tag_value',
    ) }}
),

canonical_tags as (
    select
        source_tags.resource_id,
        aliases.tag_key,
        trim(source_tags.source_tag_value) as tag_value,
        source_tags.source_tag_key,
        source_tags.first_seen_date,
        source_tags.last_seen_date
    from source_tags
    inner join {{ ref('tag_key_aliases') }} as aliases
        on {{ normalize_tag_key('source_tags.source_tag_key') }} = aliases.tag_key_alias
    where trim(source_tags.source_tag_value) <> ''
),

ranked as (
    select
        resource_id,
        tag_key,
        tag_value,
        source_tag_key,
        min(first_seen_date) over (partition by resource_id, tag_key, tag_value) as first_seen_date,
        max(last_seen_date) over (partition by resource_id, tag_key, tag_value) as last_seen_date,
        row_number() over (
            partition by resource_id, tag_key
            order by last_seen_date desc, source_tag_key asc, tag_value asc
        ) as value_rank
    from canonical_tags
)

select
    cast(resource_id as string) as resource_id,
    cast(tag_key as string) as tag_key,
    cast(tag_value as string) as tag_value,
    cast(source_tag_key as string) as source_tag_key,
    cast(first_seen_date as date) as first_seen_date,
    cast(last_seen_date as date) as last_seen_date
from ranked
where value_rank = 1
