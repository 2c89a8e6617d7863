-- The campaign planner's downloadable list: per scheme and segment, the customers with the highest CLV (then
-- trailing revenue), at most dashboard.campaign_customers_per_segment of them, so the list stays small at any
-- number of customers. Email and phone only when dashboard.show_contact_details allows them (else null).
with current_segments as (
    select * from {{ ref('customer_segments_current') }}
),

current_tiers as (
    select * from {{ ref('customer_value_tier') }}
),

clv as (
    select * from {{ ref('customer_clv') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

campaign_segments as (
    select * from {{ ref('campaign_segments') }}
),

settings as (
    select * from {{ ref('dashboard_settings') }}
),

segment_actions as (
    select distinct scheme, segment, segment_rank, segment_zh, action, action_zh from campaign_segments
),

customer_segments as (
    select
        current_segments.customer_id,
        current_segments.customer_name,
        current_segments.region,
        current_segments.channel,
        current_segments.customer_type,
        current_segments.value_tier,
        current_segments.lifecycle_stage,
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

ranked as (
    select
        customer_segments.*,
        coalesce(current_tiers.trailing_revenue_cny, 0) as trailing_revenue_cny,
        coalesce(clv.clv_cny, 0) as clv_cny,
        clv.p_alive,
        coalesce(clv.is_at_risk_high_value, false) as is_at_risk_high_value,
        row_number() over (
            partition by customer_segments.scheme, customer_segments.segment
            order by coalesce(clv.clv_cny, 0) desc, coalesce(current_tiers.trailing_revenue_cny, 0) desc, customer_segments.customer_id
        ) as value_position,
    from customer_segments
    left join current_tiers using (customer_id)
    left join clv using (customer_id)
    where customer_segments.segment is not null
),

final as (
    select
        ranked.scheme,
        segment_actions.segment_rank,
        ranked.segment,
        segment_actions.segment_zh,
        segment_actions.action,
        segment_actions.action_zh,
        cast(ranked.value_position as integer) as value_position,
        ranked.customer_id,
        ranked.customer_name,
        coalesce(ranked.region, 'unknown') as region,
        coalesce(ranked.channel, 'unknown') as channel,
        coalesce(ranked.customer_type, 'unknown') as customer_type,
        ranked.value_tier,
        ranked.lifecycle_stage,
        cast(ranked.trailing_revenue_cny as double) as trailing_revenue_cny,
        cast(ranked.clv_cny as double) as clv_cny,
        cast(ranked.p_alive as double) as p_alive,
        ranked.is_at_risk_high_value,
        case when settings.show_contact_details then customers.email end as email,
        case when settings.show_contact_details then customers.phone end as phone,
    from ranked
    cross join settings
    inner join segment_actions
        on segment_actions.scheme = ranked.scheme
        and segment_actions.segment = ranked.segment
    left join customers on customers.customer_id = ranked.customer_id
    where ranked.value_position <= settings.campaign_customers_per_segment
)

select * from final
