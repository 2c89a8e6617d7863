-- Mart segment_kpis_monthly: per scheme, month and segment (schemes × months × segments rows).
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
    retention_rate,
    churn_rate,
    upgrade_rate,
    downgrade_rate,
    prospect_conversion_rate,
    average_satisfaction_score,
    average_nps_score
from segment_kpis_monthly
