-- One row per Azure Monitor metric x time series x data point of the newest pull of each account and month.
-- Flattened and typed by the loader; lineage columns renamed here.
with source as (
    select * from {{ source('telemetry', 'azure_monitor_metrics') }}
),

renamed as (
    select
        metric_timestamp,
        time_grain,
        metric_name,
        metric_unit,
        resource_id,
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
        lake_billing_month as billing_month,
        lake_source_file as source_file,
        lake_run_id as run_id
    from source
)

select * from renamed
