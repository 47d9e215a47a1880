-- TEMPORARY STUB (allocation branch): the pricing engineer's tag normalisation (branch `pricing`) owns this model
-- and the seed `tag_key_aliases`; at merge, take theirs. Same columns as the agreed interface; the key variants
-- are folded inline (lower case, separators dropped) instead of through the seed.
with resource_tags as (
    select
        lower(ResourceId) as resource_id,
        Tags as tags_json,
        cast(ChargePeriodStart as date) as charge_date
    from {{ ref('focus_costs') }}
    where ResourceId is not null and Tags is not null
),

tag_rows as (
    {{ aoai_finops.tags_to_rows('resource_tags', 'tags_json', ['resource_id', 'charge_date']) }}
),

folded as (
    select
        resource_id,
        charge_date,
        tag_key as source_tag_key,
        trim(tag_value) as tag_value,
        lower(replace(replace(replace(tag_key, '-', ''), '_', ''), ' ', '')) as folded_key
    from tag_rows
),

canonical as (
    select
        resource_id,
        charge_date,
        source_tag_key,
        tag_value,
        case
            when folded_key in ('costcenter', 'costcentre', 'cc') then 'cost_center'
            when folded_key in ('app', 'application', 'appname') then 'application'
            when folded_key in ('env', 'environment') then 'environment'
            when folded_key in ('team', 'owningteam') then 'team'
            when folded_key in ('owner', 'createdby') then 'owner'
            else folded_key
        end as tag_key
    from folded
)

select
    resource_id,
    tag_key,
    tag_value,
    source_tag_key,
    min(charge_date) as first_seen_date,
    max(charge_date) as last_seen_date
from canonical
group by resource_id, tag_key, tag_value, source_tag_key
