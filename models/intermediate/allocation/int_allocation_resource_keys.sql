-- Allocation keys of each resource on each day it has AI cost: the resource's own tags (normalised keys), then
-- the resource group and subscription defaults, in the order allocation_key_precedence gives per key. The `tags`
-- method allocates a whole resource to these keys; the other methods fill keys their targets lack from them.
-- A table: Spark would otherwise re-plan the whole chain for every model and test that reads it.
{{ config(materialized='table') }}
{%- set labels = ['resource_id', 'sub_account_id', 'sub_account_name', 'resource_group_name'] %}

with resource_days as (
    -- A day charged in two billing months has a row in each.
    select
        resource_id,
        charge_date,
        max(sub_account_id) as sub_account_id,
        max(sub_account_name) as sub_account_name,
        max(resource_group_name) as resource_group_name
    from {{ ref('int_allocation_resource_days_aggregated') }}
    where resource_id is not null
    group by resource_id, charge_date
),

labelled_days as (
    select
        *,
        {{ aoai_finops.surrogate_key(labels) }} as label_key
    from resource_days
),

-- The keys depend on a resource and its labels, not on the day: they are picked once per resource and labels
-- (a few per resource), then given to each of its days.
resource_labels as (
    select distinct
        label_key,
        {{ labels | join(',\n        ') }}
    from labelled_days
),

precedence as (
    select * from {{ ref('allocation_key_precedence') }}
),

tags as (
    select * from {{ ref('int_resource_tags_normalized') }}
),

resource_tags as (
    -- The value a resource carries now (its latest) allocates all of its cost: showback follows today's owner.
    select
        resource_labels.label_key,
        tags.tag_key,
        tags.tag_value
    from resource_labels
    inner join tags on resource_labels.resource_id = tags.resource_id
),

tag_candidates as (
    select
        resource_tags.label_key,
        precedence.allocation_key,
        precedence.precedence,
        resource_tags.tag_value as key_value
    from resource_tags
    inner join precedence
        on
            precedence.key_source = 'resource_tag'
            and resource_tags.tag_key = precedence.source_key
),

resource_group_keys as (
    {{ aoai_finops.unpivot_allocation_keys(ref('allocation_resource_group_keys'),
                                           ['subscription', 'resource_group'], 'resource_group') }}
),

resource_group_matches as (
    -- A row naming the subscription wins over a row for the group name in any subscription. Between rows that
    -- tie (the subscription named by its name and by its id), the lowest value, as pick_allocation_keys() does.
    select
        resource_labels.label_key,
        resource_group_keys.allocation_key,
        resource_group_keys.key_value,
        row_number() over (
            partition by resource_labels.label_key, resource_group_keys.allocation_key
            order by
                case when resource_group_keys.subscription is null then 1 else 0 end asc,
                resource_group_keys.key_value asc
        ) as match_rank
    from resource_labels
    inner join resource_group_keys
        on
            resource_labels.resource_group_name = lower(trim(resource_group_keys.resource_group))
            and (
                resource_group_keys.subscription is null
                or lower(trim(resource_group_keys.subscription)) in (
                    lower(resource_labels.sub_account_name),
                    lower(resource_labels.sub_account_id),
                    replace(lower(resource_labels.sub_account_id), '/subscriptions/', '')
                )
            )
),

subscription_keys as (
    {{ aoai_finops.unpivot_allocation_keys(ref('allocation_subscription_keys'), ['subscription'], 'subscription') }}
),

mapping_candidates as (
    select
        label_key,
        'resource_group' as key_source,
        allocation_key,
        key_value
    from resource_group_matches
    where match_rank = 1
    union all
    select
        resource_labels.label_key,
        subscription_keys.key_source,
        subscription_keys.allocation_key,
        subscription_keys.key_value
    from resource_labels
    inner join subscription_keys
        on lower(trim(subscription_keys.subscription)) in (
            lower(resource_labels.sub_account_name),
            lower(resource_labels.sub_account_id),
            replace(lower(resource_labels.sub_account_id), '/subscriptions/', '')
        )
),

candidates as (
    select * from tag_candidates
    union all
    select
        mapping_candidates.label_key,
        mapping_candidates.allocation_key,
        precedence.precedence,
        mapping_candidates.key_value
    from mapping_candidates
    inner join precedence
        on
            mapping_candidates.key_source = precedence.key_source
            and mapping_candidates.allocation_key = precedence.allocation_key
),

picked as (
    {{ aoai_finops.pick_allocation_keys('candidates', ['label_key']) }}
),

tagged as (
    select distinct label_key
    from resource_tags
),

final as (
    select
        labelled_days.resource_id,
        labelled_days.charge_date,
        {%- for key in aoai_finops.allocation_keys() %}
        picked.{{ key }},
        picked.{{ key }}_precedence,
        {%- endfor %}
        tagged.label_key is not null as is_tagged,
        case
            {%- for key in aoai_finops.required_allocation_keys() %}
            when picked.{{ key }} is null and tagged.label_key is null then 'untagged_resource'
            when picked.{{ key }} is null then 'missing_{{ key }}_key'
            {%- endfor %}
        end as missing_keys_reason
    from labelled_days
    left join picked on labelled_days.label_key = picked.label_key
    left join tagged on labelled_days.label_key = tagged.label_key
)

select * from final
