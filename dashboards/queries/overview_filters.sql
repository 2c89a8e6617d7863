-- The regions, channels and customer types in the headline counts, for the overview's filters.
select distinct 'region' as dimension, region as dimension_value from warehouse.dashboard_kpis_monthly
union all
select distinct 'channel', channel from warehouse.dashboard_kpis_monthly
union all
select distinct 'customer_type', customer_type from warehouse.dashboard_kpis_monthly
order by dimension, dimension_value
