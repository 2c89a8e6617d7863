-- Mart warehouse_runs: one row per pipeline run.
select
    run_id,
    finished_at,
    as_of_date,
    customers_loaded,
    orders_loaded
from warehouse_runs
