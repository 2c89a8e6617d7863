-- Customers per lifecycle stage at each month end in the chosen range (prospects included).
select
    month_start_date as month,
    segment_rank,
    case when '${inputs.lang}' = 'zh' then segment_zh else segment end as segment_label,
    customers
from warehouse.segment_kpis_monthly
where scheme = 'lifecycle'
    and month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
order by month_start_date, segment_rank
