-- Mart clv_tier_kpis_monthly: CLV tiers per month end (one month per run kept; tiers × runs rows).
select
    scheme,
    scheme_code,
    month_start_date,
    segment_rank,
    segment,
    segment_zh,
    customers,
    active_customers,
    orders,
    cast(revenue_cny as double) as revenue_cny,
    revenue_share,
    average_order_value_cny,
    repeat_purchase_rate,
    cast(clv_cny as double) as clv_cny
from clv_tier_kpis_monthly
