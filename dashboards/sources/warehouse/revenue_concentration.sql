-- Mart revenue_concentration: the Pareto curve at the as-of date (101 rows).
select customer_share_pct, customers_total, customers, cumulative_revenue_cny, revenue_share from revenue_concentration
