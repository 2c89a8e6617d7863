-- The campaign planner: per scheme, segment, region, channel and customer type at the as-of date — size, revenue
-- at stake (trailing-window revenue and CLV) and the suggested action. The action mapping lives here, in SQL:
-- by rank for the ranked schemes (1 = top), by name for RFM segments and lifecycle stages.
with current_segments as (
    select * from {{ ref('customer_segments_current') }}
),

current_tiers as (
    select * from {{ ref('customer_value_tier') }}
),

clv as (
    select * from {{ ref('customer_clv') }}
),

segments as (
    select * from {{ ref('segment_definitions') }}
),

actions_by_rank as (
    -- value tiers, ABC classes, score tiers and CLV tiers: the top keeps care, the middle is grown, the bottom is nurtured
    select * from (values
        ('top', 'VIP care', 'VIP 专属服务'),
        ('middle', 'Upsell', '交叉销售 / 升级'),
        ('bottom', 'Nurture', '培育激活')
    ) as a(position, action, action_zh)
),

actions_by_name as (
    -- RFM segments and lifecycle stages, by their English name in models/segmentation.yml
    select * from (values
        ('rfm', 'Champions', 'VIP care', 'VIP 专属服务'),
        ('rfm', 'Loyal Customers', 'Upsell', '交叉销售 / 升级'),
        ('rfm', 'Can''t Lose Them', 'Win-back offer', '挽回优惠'),
        ('rfm', 'At Risk', 'Win-back offer', '挽回优惠'),
        ('rfm', 'New Customers', 'Onboarding', '新客引导'),
        ('rfm', 'Promising', 'Onboarding', '新客引导'),
        ('rfm', 'Potential Loyalist', 'Upsell', '交叉销售 / 升级'),
        ('rfm', 'Need Attention', 'Re-engage', '重新激活'),
        ('rfm', 'About To Sleep', 'Re-engage', '重新激活'),
        ('rfm', 'Hibernating', 'Win-back offer', '挽回优惠'),
        ('rfm', 'Lost', 'Low-cost reactivation', '低成本唤回'),
        ('lifecycle', 'Prospect', 'First-purchase offer', '首单优惠'),
        ('lifecycle', 'New', 'Onboarding', '新客引导'),
        ('lifecycle', 'Active', 'Upsell', '交叉销售 / 升级'),
        ('lifecycle', 'Loyal', 'VIP care', 'VIP 专属服务'),
        ('lifecycle', 'Won Back', 'Retention follow-up', '回流维系'),
        ('lifecycle', 'At Risk', 'Win-back offer', '挽回优惠'),
        ('lifecycle', 'Churned', 'Low-cost reactivation', '低成本唤回')
    ) as a(scheme, segment, action, action_zh)
),

scheme_sizes as (
    select scheme, max(segment_rank) as last_rank from segments group by scheme
),

segment_actions as (
    select
        segments.scheme,
        segments.scheme_code,
        segments.scheme_label_en,
        segments.scheme_label_zh,
        segments.segment_rank,
        segments.segment,
        segments.segment_zh,
        coalesce(actions_by_name.action, actions_by_rank.action, 'Nurture') as action,
        coalesce(actions_by_name.action_zh, actions_by_rank.action_zh, '培育激活') as action_zh,
    from segments
    inner join scheme_sizes using (scheme)
    left join actions_by_name
        on actions_by_name.scheme = segments.scheme
        and actions_by_name.segment = segments.segment
    left join actions_by_rank
        on segments.scheme in ('value', 'abc', 'score', 'clv')
        and actions_by_rank.position = case
            when segments.segment_rank = 1 then 'top'
            when segments.segment_rank = scheme_sizes.last_rank then 'bottom'
            else 'middle'
        end
),

customer_segments as (
    -- one row per customer and scheme
    select
        current_segments.customer_id,
        current_segments.region,
        current_segments.channel,
        current_segments.customer_type,
        unnest([
            {scheme: 'value', segment: current_segments.value_tier},
            {scheme: 'abc', segment: current_segments.abc_class},
            {scheme: 'score', segment: current_segments.score_tier},
            {scheme: 'rfm', segment: current_segments.rfm_segment},
            {scheme: 'lifecycle', segment: current_segments.lifecycle_stage},
            {scheme: 'clv', segment: current_segments.clv_tier},
        ], recursive := true),
    from current_segments
),

aggregated as (
    select
        customer_segments.scheme,
        customer_segments.segment,
        coalesce(customer_segments.region, 'unknown') as region,
        coalesce(customer_segments.channel, 'unknown') as channel,
        coalesce(customer_segments.customer_type, 'unknown') as customer_type,
        count(*) as customers,
        sum(coalesce(current_tiers.trailing_revenue_cny, 0)) as trailing_revenue_cny,
        sum(coalesce(clv.clv_cny, 0)) as clv_cny,
        count(*) filter (where clv.is_at_risk_high_value) as at_risk_high_value_customers,
    from customer_segments
    left join current_tiers using (customer_id)
    left join clv using (customer_id)
    where customer_segments.segment is not null
    group by all
),

final as (
    select
        segment_actions.scheme,
        segment_actions.scheme_code,
        segment_actions.scheme_label_en,
        segment_actions.scheme_label_zh,
        segment_actions.segment_rank,
        segment_actions.segment,
        segment_actions.segment_zh,
        aggregated.region,
        aggregated.channel,
        aggregated.customer_type,
        segment_actions.action,
        segment_actions.action_zh,
        aggregated.customers,
        cast(aggregated.trailing_revenue_cny as double) as trailing_revenue_cny,
        cast(aggregated.clv_cny as double) as clv_cny,
        aggregated.at_risk_high_value_customers,
    from aggregated
    inner join segment_actions
        on segment_actions.scheme = aggregated.scheme
        and segment_actions.segment = aggregated.segment
)

select * from final
