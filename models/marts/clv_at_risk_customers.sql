-- The at-risk high-value customers with the most CLV (top 25): the short list the CLV page shows. No contact details.
with clv as (
    select * from {{ ref('customer_clv') }}
),

current_segments as (
    select * from {{ ref('customer_segments_current') }}
),

ranked as (
    select
        clv.customer_id,
        current_segments.customer_name,
        current_segments.region,
        current_segments.channel,
        current_segments.customer_type,
        current_segments.value_tier,
        current_segments.value_tier_zh,
        current_segments.lifecycle_stage,
        current_segments.lifecycle_stage_zh,
        clv.clv_tier,
        clv.clv_cny,
        clv.p_alive,
        clv.p_alive_change,
        clv.churn_risk_band,
        row_number() over (order by clv.clv_cny desc, clv.customer_id) as clv_position,
    from clv
    left join current_segments using (customer_id)
    where clv.is_at_risk_high_value
),

final as (
    select
        customer_id,
        customer_name,
        region,
        channel,
        customer_type,
        value_tier,
        value_tier_zh,
        lifecycle_stage,
        lifecycle_stage_zh,
        clv_tier,
        cast(clv_cny as double) as clv_cny,
        cast(p_alive as double) as p_alive,
        cast(p_alive_change as double) as p_alive_change,
        churn_risk_band,
        cast(clv_position as integer) as clv_position,
    from ranked
    where clv_position <= 25
)

select * from final
