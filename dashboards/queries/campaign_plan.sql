-- Per segment of the chosen scheme, for the chosen regions, channels and customer types: size, revenue at stake
-- (trailing-window revenue and CLV), at-risk high-value customers and the suggested action (mart campaign_segments).
select
    segment_rank,
    segment,
    case when '${inputs.lang}' = 'zh' then segment_zh else segment end as segment_label,
    case when '${inputs.lang}' = 'zh' then action_zh else action end as action_label,
    sum(customers) as customers_num0,
    sum(trailing_revenue_cny) as trailing_revenue_cny,
    sum(clv_cny) as clv_cny,
    sum(at_risk_high_value_customers) as at_risk_customers_num0,
    sum(trailing_revenue_cny) / nullif(sum(sum(trailing_revenue_cny)) over (), 0) as revenue_share_pct1
from warehouse.campaign_segments
where scheme = '${inputs.scheme.value}'
    and region in ${inputs.region.value}
    and channel in ${inputs.channel.value}
    and customer_type in ${inputs.customer_type.value}
group by all
order by segment_rank
