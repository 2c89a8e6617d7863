-- The customer list of the chosen segment (highest CLV first, capped per segment by
-- dashboard.campaign_customers_per_segment), for the chosen regions, channels and customer types.
-- email and phone are empty unless models/dashboard.yml allows contact details (the mart nulls them).
select
    value_position as rank_in_segment,
    customer_id,
    customer_name,
    region,
    channel,
    customer_type,
    value_tier,
    lifecycle_stage,
    case when '${inputs.lang}' = 'zh' then action_zh else action end as suggested_action,
    trailing_revenue_cny,
    clv_cny,
    p_alive as p_alive_num2,
    is_at_risk_high_value,
    email,
    phone
from warehouse.campaign_customers
where scheme = '${inputs.scheme.value}'
    and segment = '${inputs.segment.value}'
    and region in ${inputs.region.value}
    and channel in ${inputs.channel.value}
    and customer_type in ${inputs.customer_type.value}
order by value_position
