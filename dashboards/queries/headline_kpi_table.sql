-- The headline KPIs as rows (latest month, change vs the month before, change vs a year ago), each with its format.
-- Changes are signed, not coloured: whether up is good differs by row (churn), and a table colours by column.
with k as (select * from ${kpis}),
z as (select '${inputs.lang}' = 'zh' as zh)
select 1 as kpi_order, case when zh then '有等级的客户' else 'Customers with a tier' end as kpi,
    customers_num0 as latest_value, customers_change_num0 as previous_change, customers_year_change_num0 as year_change, 'num0' as value_fmt, '+#,##0;-#,##0;0' as change_fmt from k, z
union all
select 2, case when zh then '本月活跃客户' else 'Active customers (ordered in the month)' end,
    active_customers_num0, active_customers_change_num0, active_customers_year_change_num0, 'num0', '+#,##0;-#,##0;0' from k, z
union all
select 3, case when zh then '收入' else 'Revenue' end,
    revenue_cny, revenue_change_pct1, revenue_year_change_pct1, 'cny0', '+0.0%;-0.0%;0.0%' from k, z
union all
select 4, case when zh then '最高等级收入占比' else 'Top-tier share of revenue' end,
    top_tier_share_pct1, top_tier_share_change_pts, top_tier_share_year_change_pts, 'pct1', '+0.0" pts";-0.0" pts";0.0" pts"' from k, z
union all
select 5, case when zh then '复购率' else 'Repeat-purchase rate' end,
    repeat_purchase_rate_pct1, repeat_purchase_rate_change_pts, repeat_purchase_rate_year_change_pts, 'pct1', '+0.0" pts";-0.0" pts";0.0" pts"' from k, z
union all
select 6, case when zh then '流失率' else 'Churn rate' end,
    churn_rate_pct1, churn_rate_change_pts, churn_rate_year_change_pts, 'pct1', '+0.0" pts";-0.0" pts";0.0" pts"' from k, z
union all
select 7, case when zh then '平均满意度（1–5）' else 'Average satisfaction (1–5)' end,
    average_satisfaction_num2, average_satisfaction_change_num2, average_satisfaction_year_change_num2, 'num2', '+0.00;-0.00;0.00' from k, z
order by kpi_order
