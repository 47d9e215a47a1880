-- One row per exported Application Insights customMetrics row of API Management's token metrics, newest pull of
-- each APIM service and month. customDimensions parsed by the loader; lineage columns renamed here.
with source as (
    select * from {{ source('telemetry', 'apim_token_metrics') }}
),

renamed as (
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
        lake_billing_month as billing_month,
        lake_source_file as source_file,
        lake_run_id as run_id
    from source
)

select * from renamed
