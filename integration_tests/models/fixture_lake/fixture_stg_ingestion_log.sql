-- Fixture staging model over the loader's ingestion log (the fixture lake's own log schema).
select
    event_id,
    event,
    table_name,
    billing_month,
    export_scope,
    run_id,
    cast(row_count as bigint) as row_count,
    cast(total_billed_cost as double) as total_billed_cost
from {{ source('cost_exports', 'ingestion_log') }}
