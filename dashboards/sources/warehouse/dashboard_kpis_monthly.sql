-- Mart dashboard_kpis_monthly: additive headline counts per month, region, channel and customer type.
select
    month_start_date,
    region,
    channel,
    customer_type,
    customers,
    active_customers,
    orders,
    revenue_cny,
    top_tier_revenue_cny,
    repeat_customers,
    churn_exposed_customers,
    churned_customers,
    satisfaction_score_sum,
    satisfaction_customers
from dashboard_kpis_monthly
