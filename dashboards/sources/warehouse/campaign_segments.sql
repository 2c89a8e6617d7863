-- Mart campaign_segments: per scheme, segment, region, channel and customer type: size, revenue at stake, action.
select
    scheme,
    scheme_code,
    scheme_label_en,
    scheme_label_zh,
    segment_rank,
    segment,
    segment_zh,
    region,
    channel,
    customer_type,
    action,
    action_zh,
    customers,
    trailing_revenue_cny,
    clv_cny,
    at_risk_high_value_customers
from campaign_segments
