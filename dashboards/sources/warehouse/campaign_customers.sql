-- Mart campaign_customers: per scheme and segment the customers with the highest CLV, capped by
-- dashboard.campaign_customers_per_segment. email and phone are null in the mart unless dashboard.show_contact_details.
select
    scheme,
    segment_rank,
    segment,
    segment_zh,
    action,
    action_zh,
    value_position,
    customer_id,
    customer_name,
    region,
    channel,
    customer_type,
    value_tier,
    lifecycle_stage,
    trailing_revenue_cny,
    clv_cny,
    p_alive,
    is_at_risk_high_value,
    email,
    phone
from campaign_customers
