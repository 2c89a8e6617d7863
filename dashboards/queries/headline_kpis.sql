-- The latest month's headline KPIs for the chosen filters, against the month before and the same month a year ago.
-- One row; the *_change columns are differences (counts, points of a share, satisfaction points) or ratios − 1 (revenue).
with monthly as (
    select * from ${headline_kpis_monthly}
),
latest_month as (
    select max(month_start_date) as month_start_date from warehouse.dashboard_kpis_monthly
),
latest as (select monthly.* from monthly, latest_month where monthly.month_start_date = latest_month.month_start_date),
previous as (select monthly.* from monthly, latest_month where monthly.month_start_date = latest_month.month_start_date - interval 1 month),
year_ago as (select monthly.* from monthly, latest_month where monthly.month_start_date = latest_month.month_start_date - interval 12 month)
select
    case when '${inputs.lang}' = 'zh' then strftime(latest_month.month_start_date, '%Y年%-m月') else strftime(latest_month.month_start_date, '%b %Y') end as month_label,
    case when '${inputs.lang}' = 'zh' then '对比 ' || strftime(latest_month.month_start_date - interval 1 month, '%Y年%-m月')
        else 'vs ' || strftime(latest_month.month_start_date - interval 1 month, '%b %Y') end as previous_title,
    case when '${inputs.lang}' = 'zh' then '对比 ' || strftime(latest_month.month_start_date - interval 12 month, '%Y年%-m月')
        else 'vs ' || strftime(latest_month.month_start_date - interval 12 month, '%b %Y') end as year_ago_title,
    coalesce(latest.customers, 0) as customers_num0,
    latest.customers - previous.customers as customers_change_num0,
    latest.customers - year_ago.customers as customers_year_change_num0,
    coalesce(latest.active_customers, 0) as active_customers_num0,
    latest.active_customers - previous.active_customers as active_customers_change_num0,
    latest.active_customers - year_ago.active_customers as active_customers_year_change_num0,
    coalesce(latest.revenue_cny, 0) as revenue_cny,
    latest.revenue_cny / nullif(previous.revenue_cny, 0) - 1 as revenue_change_pct1,
    latest.revenue_cny / nullif(year_ago.revenue_cny, 0) - 1 as revenue_year_change_pct1,
    latest.top_tier_share as top_tier_share_pct1,
    100 * (latest.top_tier_share - previous.top_tier_share) as top_tier_share_change_pts,
    100 * (latest.top_tier_share - year_ago.top_tier_share) as top_tier_share_year_change_pts,
    latest.repeat_purchase_rate as repeat_purchase_rate_pct1,
    100 * (latest.repeat_purchase_rate - previous.repeat_purchase_rate) as repeat_purchase_rate_change_pts,
    100 * (latest.repeat_purchase_rate - year_ago.repeat_purchase_rate) as repeat_purchase_rate_year_change_pts,
    latest.churn_rate as churn_rate_pct1,
    100 * (latest.churn_rate - previous.churn_rate) as churn_rate_change_pts,
    100 * (latest.churn_rate - year_ago.churn_rate) as churn_rate_year_change_pts,
    latest.average_satisfaction as average_satisfaction_num2,
    latest.average_satisfaction - previous.average_satisfaction as average_satisfaction_change_num2,
    latest.average_satisfaction - year_ago.average_satisfaction as average_satisfaction_year_change_num2,
    (select max(tier) from warehouse.tier_definitions where tier_rank = 1) as top_tier
from latest_month
left join latest on true
left join previous on true
left join year_ago on true
