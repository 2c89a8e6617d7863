-- The at-risk high-value customers with the most CLV (at most 25; mart clv_at_risk_customers).
select
    clv_position,
    customer_id,
    customer_name,
    region,
    case when '${inputs.lang}' = 'zh' then value_tier_zh else value_tier end as value_tier,
    case when '${inputs.lang}' = 'zh' then lifecycle_stage_zh else lifecycle_stage end as lifecycle_stage,
    clv_tier,
    clv_cny,
    p_alive as p_alive_num2,
    p_alive_change as p_alive_change_num2
from warehouse.clv_at_risk_customers
order by clv_position
