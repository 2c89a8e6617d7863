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

customer_values as (
    -- one row per customer with what the list shows and sorts by
    select
        current_segments.customer_id,
        current_segments.customer_name,
        current_segments.region,
        current_segments.channel,
        current_segments.customer_type,
        current_segments.value_tier,
        current_segments.abc_class,
        current_segments.score_tier,
        current_segments.rfm_segment,
        current_segments.lifecycle_stage,
        current_segments.clv_tier,
        coalesce(current_tiers.trailing_revenue_cny, 0) as trailing_revenue_cny,
        coalesce(clv.clv_cny, 0) as clv_cny,
        clv.p_alive,
        coalesce(clv.is_at_risk_high_value, false) as is_at_risk_high_value,
    from current_segments
    left join current_tiers using (customer_id)
    left join clv using (customer_id)
),

customer_segments as (
    -- one row per customer and scheme, narrow: only what the ranking needs is sorted
    select
        customer_values.customer_id,
        customer_values.clv_cny,
        customer_values.trailing_revenue_cny,
        unnest([
            {scheme: 'value', segment: customer_values.value_tier},
            {scheme: 'abc', segment: customer_values.abc_class},
            {scheme: 'score', segment: customer_values.score_tier},
            {scheme: 'rfm', segment: customer_values.rfm_segment},
            {scheme: 'lifecycle', segment: customer_values.lifecycle_stage},
            {scheme: 'clv', segment: customer_values.clv_tier},
        ], recursive := true),
    from customer_values
),

top_customers as (
    -- per scheme and segment, the best customers in list order: a bounded heap per group keeps only the list's
    -- length, where ranking every customer meant sorting them all. The key orders by CLV, then trailing revenue
    -- (both descending), then customer id
    select
        customer_segments.scheme,
        customer_segments.segment,
        min_by(
            {customer_id: customer_segments.customer_id, clv_cny: customer_segments.clv_cny, trailing_revenue_cny: customer_segments.trailing_revenue_cny},
            {clv_order: -customer_segments.clv_cny, revenue_order: -customer_segments.trailing_revenue_cny, customer_id: customer_segments.customer_id},
            (select campaign_customers_per_segment from settings)
        ) as customers,
    from customer_segments
    where customer_segments.segment is not null
    group by customer_segments.scheme, customer_segments.segment
),

ranked as (
    select
        scheme,
        segment,
        unnest(range(1, len(customers) + 1)) as value_position,
        unnest(customers, recursive := true),
    from top_customers
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
        customer_values.customer_name,
        coalesce(customer_values.region, 'unknown') as region,
        coalesce(customer_values.channel, 'unknown') as channel,
        coalesce(customer_values.customer_type, 'unknown') as customer_type,
        customer_values.value_tier,
        customer_values.lifecycle_stage,
        cast(ranked.trailing_revenue_cny as double) as trailing_revenue_cny,
        cast(ranked.clv_cny as double) as clv_cny,
        cast(customer_values.p_alive as double) as p_alive,
        customer_values.is_at_risk_high_value,
        case when settings.show_contact_details then customers.email end as email,
        case when settings.show_contact_details then customers.phone end as phone,
    from ranked
    cross join settings
    inner join segment_actions
        on segment_actions.scheme = ranked.scheme
        and segment_actions.segment = ranked.segment
    inner join customer_values on customer_values.customer_id = ranked.customer_id
    left join customers on customers.customer_id = ranked.customer_id
)

select * from final
