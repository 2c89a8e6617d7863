-- Customers won back each month (moved into the Won Back lifecycle stage) and their revenue that month, in the chosen range.
select
    month_start_date as month,
    sum(customers) as won_back_customers_num0,
    sum(revenue_cny) as won_back_revenue_cny
from warehouse.tier_migration_monthly
where scheme = 'lifecycle'
    and to_segment_rank = 4
    and from_segment_rank <> 4
    and month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
group by month_start_date
order by month_start_date
