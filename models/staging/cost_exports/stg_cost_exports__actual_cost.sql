-- ActualCost cost details rows (EA or MCA) as loaded into the lake, one row per source row
-- (see the cost_details_staging macro).
{{ cost_details_staging('actual_cost') }}
