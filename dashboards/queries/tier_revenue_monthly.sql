-- Revenue per tier and month, last 12 months in the warehouse.
select
    month_start_date as month,
    tier,
    tier_rank,
    revenue_cny
from warehouse.tier_kpis_monthly
where month_start_date > (select max(month_start_date) from warehouse.tier_kpis_monthly) - interval 12 month
order by month_start_date, tier_rank
