-- The last month of the chosen range, one row per segment of the chosen scheme.
select
    k.segment_rank,
    case when '${inputs.lang}' = 'zh' then k.segment_zh else k.segment end as segment_label,
    k.customers as customers_num0,
    k.active_customers as active_customers_num0,
    k.revenue_cny,
    k.revenue_share as revenue_share_pct1,
    k.average_order_value_cny,
    k.repeat_purchase_rate as repeat_purchase_rate_pct1
from warehouse.segment_kpis_monthly as k
where k.scheme = '${inputs.scheme.value}'
    and k.month_start_date = (select last_month from ${selected_window})
order by k.segment_rank
