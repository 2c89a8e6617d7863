-- Headline KPIs for the latest month, with the change against the month before.
with monthly as (
    select
        month_start_date,
        sum(customers) as customers,
        sum(revenue_cny) as revenue_cny,
        sum(case when tier_rank = 1 then revenue_cny else 0 end) as top_tier_revenue_cny,
        max(case when tier_rank = 1 then tier end) as top_tier
    from warehouse.tier_kpis_monthly
    group by month_start_date
),
latest as (
    select * from monthly
    where month_start_date = (select max(month_start_date) from monthly)
),
previous as (
    select monthly.*
    from monthly, latest
    where monthly.month_start_date = latest.month_start_date - interval 1 month
)
select
    strftime(latest.month_start_date, '%B %Y') as month_label,
    'vs ' || coalesce(strftime(previous.month_start_date, '%b %Y'), 'previous month') as comparison_title,
    latest.top_tier,
    latest.customers as customers_num0,
    latest.customers - previous.customers as customers_change_num0,
    latest.revenue_cny as revenue_cny,
    latest.revenue_cny / nullif(previous.revenue_cny, 0) - 1 as revenue_change_pct1,
    latest.top_tier_revenue_cny / nullif(latest.revenue_cny, 0) as top_tier_share_pct1,
    -- change of the share in percentage points
    100 * (latest.top_tier_revenue_cny / nullif(latest.revenue_cny, 0)
        - previous.top_tier_revenue_cny / nullif(previous.revenue_cny, 0)) as top_tier_share_change_pts
from latest
left join previous on true
