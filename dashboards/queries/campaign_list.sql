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
    case when '${inputs.lang}' = 'zh'
        then coalesce((select d.segment_zh from warehouse.segment_definitions as d where d.scheme = 'value' and d.segment = c.value_tier), c.value_tier)
        else c.value_tier end as value_tier,
    case when '${inputs.lang}' = 'zh'
        then coalesce((select d.segment_zh from warehouse.segment_definitions as d where d.scheme = 'lifecycle' and d.segment = c.lifecycle_stage), c.lifecycle_stage)
        else c.lifecycle_stage end as lifecycle_stage,
    case when '${inputs.lang}' = 'zh' then action_zh else action end as suggested_action,
    trailing_revenue_cny,
    clv_cny,
    p_alive as p_alive_num2,
    is_at_risk_high_value,
    email,
    phone
from warehouse.campaign_customers as c
where scheme = '${inputs.scheme.value}'
    and segment = '${inputs.segment.value}'
    and region in ${inputs.region.value}
    and channel in ${inputs.channel.value}
    and customer_type in ${inputs.customer_type.value}
order by value_position
