-- Customers and revenue per segment of the chosen scheme and month, inside the chosen month range (CLV tiers from
-- clv_tier_kpis_monthly, every other scheme from segment_kpis_monthly); segments_latest takes its last month.
with kpis as (
    select scheme, month_start_date, segment_rank, segment, segment_zh, customers, active_customers, revenue_cny, revenue_share,
        average_order_value_cny, repeat_purchase_rate
    from warehouse.segment_kpis_monthly
    union all
    select scheme, month_start_date, segment_rank, segment, segment_zh, customers, active_customers, revenue_cny, revenue_share,
        average_order_value_cny, repeat_purchase_rate
    from warehouse.clv_tier_kpis_monthly
)
select
    k.month_start_date as month,
    k.segment_rank,
    case when '${inputs.lang}' = 'zh' then k.segment_zh else k.segment end as segment_label,
    k.customers,
    k.active_customers,
    k.revenue_cny,
    k.revenue_share as revenue_share_pct1,
    k.average_order_value_cny,
    k.repeat_purchase_rate
from kpis as k
where k.scheme = '${inputs.scheme.value}'
    and k.month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
order by k.month_start_date, k.segment_rank
