-- Formats FOCUS 1.2 requires, on every row of focus_costs: Tags and SkuPriceDetails are JSON objects
-- (KeyValueFormat); AI token rows carry the FOCUS AI draft keys with the draft's values; periods are end
-- exclusive (end after start), at whole seconds (DateTimeFormat: UTC, YYYY-MM-DDTHH:mm:ssZ), billing periods
-- are calendar months as Azure bills them. Returns the failing checks.
{%- set seconds_fraction = "extract(second from {0}) - floor(extract(second from {0})) = 0" %}
{{ failing_rows(ref('focus_costs'), [
    ('Tags is a JSON object', 'Tags is null or ' ~ aoai_finops.is_json_object('Tags')),
    ('SkuPriceDetails is a JSON object', 'SkuPriceDetails is null or ' ~ aoai_finops.is_json_object('SkuPriceDetails')),
    ('AI token rows have SkuPriceDetails with ModelId, ModelFamily, ModelDeveloper and TokenDirection',
        "coalesce(x_AiChargeKind, '') <> 'tokens' or x_AiModelId is null or ("
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'ModelId') ~ ' = x_AiModelId and '
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'ModelFamily') ~ ' is not null and '
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'ModelDeveloper') ~ ' is not null and '
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'TokenDirection') ~ " in ('Input', 'Output'))"),
    ('TokenCacheAction is Uncached, Read or Write on input tokens and absent on output tokens',
        "coalesce(x_AiChargeKind, '') <> 'tokens' or x_AiModelId is null or case "
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'TokenDirection')
        ~ " when 'Input' then " ~ aoai_finops.json_extract_string('SkuPriceDetails', 'TokenCacheAction')
        ~ " in ('Uncached', 'Read', 'Write') else "
        ~ aoai_finops.json_extract_string('SkuPriceDetails', 'TokenCacheAction') ~ ' is null end'),
    ('ChargePeriodEnd is after ChargePeriodStart', 'ChargePeriodEnd > ChargePeriodStart'),
    ('BillingPeriodEnd is after BillingPeriodStart', 'BillingPeriodEnd > BillingPeriodStart'),
    ('timestamps are whole seconds',
        seconds_fraction.format('ChargePeriodStart') ~ ' and ' ~ seconds_fraction.format('ChargePeriodEnd')
        ~ ' and ' ~ seconds_fraction.format('BillingPeriodStart') ~ ' and ' ~ seconds_fraction.format('BillingPeriodEnd')),
    ('billing periods are calendar months (start and exclusive end on the 1st at midnight)',
        'BillingPeriodStart = ' ~ dbt.date_trunc('month', 'BillingPeriodStart')
        ~ ' and BillingPeriodEnd = ' ~ dbt.dateadd('month', 1, 'BillingPeriodStart')),
    ('the charge period starts within its billing period',
        'ChargePeriodStart >= BillingPeriodStart and ChargePeriodStart < BillingPeriodEnd'),
]) }}
