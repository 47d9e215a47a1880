-- One row per loader decision about an export run; see source('lake', 'ingestion_log').
with source as (
    select * from {{ source('lake', 'ingestion_log') }}
),

renamed as (
    select
        logged_at,
        invocation_id,
        source as source_location,
        manifest_path,
        run_id,
        export_name,
        export_scope,
        export_type,
        data_version,
        table_name,
        billing_month,
        scope_key,
        submitted_time,
        status,
        files as file_count,
        rows as row_count,
        bytes as byte_count,
        billed_cost_total,
        effective_cost_total,
        value_total,
        message
    from source
)

select * from renamed
