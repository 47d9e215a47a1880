-- TEMPORARY STUB (allocation branch): replaced by the loader engineer's model at merge (same name, same columns).
select
    metric_timestamp,
    metric_name,
    value_sum,
    value_count,
    apim_service,
    apim_subscription_id,
    apim_product_id,
    apim_user_id,
    apim_api_id,
    deployment_name,
    backend_id,
    team,
    application,
    custom_dimensions_json,
    source_file,
    run_id
from {{ source('telemetry', 'apim_token_metrics') }}
