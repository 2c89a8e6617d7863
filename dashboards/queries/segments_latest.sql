-- The last month of the chosen range, one row per segment of the chosen scheme (CLV tiers from
-- clv_tier_kpis_monthly, every other scheme from segment_kpis_monthly).
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
    k.segment_rank,
    case when '${inputs.lang}' = 'zh' then k.segment_zh else k.segment end as segment_label,
    k.customers as customers_num0,
    k.active_customers as active_customers_num0,
    k.revenue_cny,
    k.revenue_share as revenue_share_pct1,
    k.average_order_value_cny,
    k.repeat_purchase_rate as repeat_purchase_rate_pct1
from kpis as k
where k.scheme = '${inputs.scheme.value}'
    and k.month_start_date = (select last_month from ${selected_window})
order by k.segment_rank
