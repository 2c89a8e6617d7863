-- The pipeline run that produced the data on this site; one row even for a warehouse built without
-- `crm-tiers run` (load + build), so the page says so instead of failing to render.
with latest_run as (
    select
        run_id,
        strftime(as_of_date, '%Y-%m-%d') as as_of_label,
        strftime(finished_at, '%Y-%m-%d %H:%M') as finished_label,
        customers_loaded,
        orders_loaded
    from warehouse.warehouse_runs
    order by finished_at desc
    limit 1
)

select * from latest_run
union all
select 'none (built without crm-tiers run)', 'unknown', 'never', null, null
where not exists (select 1 from latest_run)
