-- The pipeline run that produced the data on this site.
select
    run_id,
    strftime(as_of_date, '%Y-%m-%d') as as_of_label,
    strftime(finished_at, '%Y-%m-%d %H:%M') as finished_label,
    customers_loaded,
    orders_loaded
from warehouse.warehouse_runs
order by finished_at desc
limit 1
