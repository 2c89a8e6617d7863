-- The Pareto curve: share of customers (top first by trailing revenue) → share of their revenue, with the diagonal.
select
    customer_share_pct / 100.0 as customer_share_pct0,
    revenue_share as revenue_share_pct0,
    customers as customers_num0,
    cumulative_revenue_cny
from warehouse.revenue_concentration
order by customer_share_pct
