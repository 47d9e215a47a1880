{{ config(severity='warn') }}
-- Readiness for FOCUS 1.3 and 1.4 (a warning, not a failure: focus_costs conforms to 1.2). Lists the columns
-- those versions define that focus_costs lacks and the columns focus_costs has that they do not define.
-- docs/focus-mapping.md ("Conformance") explains each of them.
select
    focus_version,
    column_id,
    feature_level,
    readiness_status
from {{ ref('dim_focus_columns') }}
where focus_version in ('1.3', '1.4') and readiness_status <> 'present'
