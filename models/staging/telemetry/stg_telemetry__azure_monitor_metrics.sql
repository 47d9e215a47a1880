-- TEMPORARY STUB (allocation branch): replaced by the loader engineer's model at merge (same name, same columns).
select
    metric_timestamp,
    time_grain,
    metric_name,
    metric_unit,
    lower(resource_id) as resource_id,
    resource_name,
    region,
    deployment_name,
    model_name,
    model_version,
    dimensions_json,
    total,
    average,
    minimum,
    maximum,
    sample_count,
    source_file,
    run_id
from {{ source('telemetry', 'azure_monitor_metrics') }}
