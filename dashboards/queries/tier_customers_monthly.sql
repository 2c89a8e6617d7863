-- Customers per tier at each month end, all months in the warehouse (tier named in the chosen language).
select
    k.month_start_date as month,
    case when '${inputs.lang}' = 'zh' then coalesce(d.label_zh, k.tier) else k.tier end as tier,
    k.tier_rank,
    k.customers
from warehouse.tier_kpis_monthly as k
left join warehouse.tier_definitions as d on d.tier = k.tier
order by k.month_start_date, k.tier_rank
