-- Mart tier_kpis_monthly: one row per (month, tier) of the value-tier scheme.
select
    month_start_date,
    month_end_date,
    tier,
    tier_rank,
    customers,
    active_customers,
    orders,
    revenue_cny,
    trailing_revenue_cny
from tier_kpis_monthly
