-- The latest month, one row per tier (top tier first).
with latest as (
    select max(month_start_date) as month_start_date from warehouse.tier_kpis_monthly
)
select
    k.tier,
    k.tier || coalesce(' ' || d.label_zh, '') as tier_label,
    case when '${inputs.lang}' = 'zh' then coalesce(d.label_zh, k.tier) else k.tier end as tier_name,
    d.min_trailing_revenue_cny,
    k.customers,
    k.active_customers,
    k.orders,
    k.revenue_cny,
    k.revenue_cny / nullif(sum(k.revenue_cny) over (), 0) as revenue_share_pct1,
    k.trailing_revenue_cny
from warehouse.tier_kpis_monthly as k
join latest on k.month_start_date = latest.month_start_date
left join warehouse.tier_definitions as d on d.tier = k.tier
order by k.tier_rank
