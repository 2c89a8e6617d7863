-- Mart clv_at_risk_customers: the 25 at-risk high-value customers with the most CLV (no contact details).
select
    customer_id,
    customer_name,
    region,
    value_tier,
    value_tier_zh,
    lifecycle_stage,
    lifecycle_stage_zh,
    clv_tier,
    clv_cny,
    p_alive,
    p_alive_change,
    churn_risk_band,
    clv_position
from clv_at_risk_customers
