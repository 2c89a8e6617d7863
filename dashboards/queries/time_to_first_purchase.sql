-- Days from a customer's creation in the CRM to their first completed order, for first purchases in the chosen range.
select
    step_rank,
    case when '${inputs.lang}' = 'zh' then step_zh else step end as band_label,
    sum(customers) as customers_num0
from warehouse.lifecycle_funnel
where grouping = 'days_to_first_purchase'
    and month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
group by all
order by step_rank
