-- Customers per tier at each month end, all months in the warehouse.
select
    month_start_date as month,
    tier,
    tier_rank,
    customers
from warehouse.tier_kpis_monthly
order by month_start_date, tier_rank
