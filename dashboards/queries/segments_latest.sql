-- The last month of the chosen range, one row per segment of the chosen scheme (from segments_monthly).
select
    segment_rank,
    segment_label,
    customers as customers_num0,
    active_customers as active_customers_num0,
    revenue_cny,
    revenue_share_pct1,
    average_order_value_cny,
    repeat_purchase_rate as repeat_purchase_rate_pct1
from ${segments_monthly}
where month = (select last_month from ${selected_window})
order by segment_rank
