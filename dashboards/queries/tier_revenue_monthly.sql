-- Revenue per tier and month, last 12 months in the warehouse (tier named in the chosen language).
select
    k.month_start_date as month,
    case when '${inputs.lang}' = 'zh' then coalesce(d.label_zh, k.tier) else k.tier end as tier,
    k.tier_rank,
    k.revenue_cny
from warehouse.tier_kpis_monthly as k
left join warehouse.tier_definitions as d on d.tier = k.tier
where k.month_start_date > (select max(month_start_date) from warehouse.tier_kpis_monthly) - interval 12 month
order by k.month_start_date, k.tier_rank
