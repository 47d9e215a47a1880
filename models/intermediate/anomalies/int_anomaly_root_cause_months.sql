-- One row per calendar month with anomalies (int_anomaly_series_scored) and a fingerprint of the anomaly history up
-- to it. int_anomaly_root_causes explains a month's anomalies again when its fingerprint changed. Those root causes
-- read the month's anomalies, scored from every day before them, and the facts of the window's weeks before each
-- anomaly day, which may be in earlier months: so the fingerprint sums the series fingerprints
-- (int_anomaly_series_months) of the month and of every month before it.
-- A month without anomalies has no row: it has no root causes, and one whose anomalies are all gone is removed.
-- A table: tiny, and read by the incremental plan of int_anomaly_root_causes.
{{ config(materialized='table') }}

with anomaly_months as (
    select distinct billing_month
    from {{ ref('int_anomaly_series_scored') }}
    where is_anomaly
),

final as (
    select
        anomaly_months.billing_month,
        {{ aoai_finops.hash_sum(dbt.concat(['series_months.billing_month', "'-'", 'series_months.fingerprint'])) }}
            as fingerprint
    from anomaly_months
    inner join {{ ref('int_anomaly_series_months') }} as series_months
        on anomaly_months.billing_month >= series_months.billing_month
    group by anomaly_months.billing_month
)

select * from final
