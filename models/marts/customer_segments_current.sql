-- Every customer at the as-of date: their segment in each enabled scheme and their need-based tags (portrait).
-- Prospects (no completed order yet) are listed too, with lifecycle stage prospect and no tiers.
with customers as (
    select * from {{ ref('stg_customers') }}
),

orders as (
    select * from {{ ref('stg_orders') }}
),

tickets as (
    select * from {{ ref('stg_tickets') }}
),

referrals as (
    select * from {{ ref('stg_referrals') }}
),

evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

customer_clv as (
    select * from {{ ref('customer_clv') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

segments as (
    select * from {{ ref('segment_definitions') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

strategic_account_types as (
    select * from {{ source('config', 'strategic_account_types') }}
),

as_of_month as (
    select month_index, month_end_date as as_of_date from months where is_as_of_month
),

current_segments as (
    select evaluated.* from evaluated inner join as_of_month using (month_index)
),

category_revenue as (
    select
        orders.customer_key,
        orders.product_category,
        count(*) as orders_count,
        count(*) filter (where orders.is_discounted) as discounted_orders_count,
        sum(orders.amount_cny) as revenue_cny,
    from orders
    where orders.is_revenue
        and orders.order_date <= (select as_of_date from as_of_month)
    group by all
),

order_tags as (
    select
        customer_key,
        -- the category with the most revenue; ties go to the name first in alphabetical order
        arg_max(product_category, (revenue_cny, product_category)) filter (where product_category is not null) as top_product_category,
        sum(discounted_orders_count) / sum(orders_count) as discounted_order_share,
    from category_revenue
    group by customer_key
),

ticket_counts as (
    select customer_key, count(*) as tickets_count
    from tickets
    where opened_date <= (select as_of_date from as_of_month)
    group by customer_key
),

referral_counts as (
    select referrer_customer_key as customer_key, count(*) as referrals_made
    from referrals
    where referral_date <= (select as_of_date from as_of_month)
    group by referrer_customer_key
),

final as (
    select
        customers.customer_id,
        customers.customer_name,
        customers.customer_type,
        customers.account_type,
        customers.region,
        customers.channel,
        as_of_month.as_of_date,
        value_tiers.segment as value_tier,
        value_tiers.segment_zh as value_tier_zh,
        abc_classes.segment as abc_class,
        abc_classes.segment_zh as abc_class_zh,
        current_segments.customer_score,
        score_tiers.segment as score_tier,
        score_tiers.segment_zh as score_tier_zh,
        case when current_segments.customer_key is not null then concat(current_segments.recency_score, current_segments.frequency_score, current_segments.monetary_score) end as rfm_score,
        rfm_segments.segment as rfm_segment,
        rfm_segments.segment_zh as rfm_segment_zh,
        lifecycle_stages.segment as lifecycle_stage,
        lifecycle_stages.segment_zh as lifecycle_stage_zh,
        -- CLV tier and the at-risk high-value flag from the CLV fit at the latest data (null with the scheme off)
        clv_tiers.segment as clv_tier,
        clv_tiers.segment_zh as clv_tier_zh,
        case when clv_tiers.segment is not null then customer_clv.clv_cny end as clv_cny,
        case when clv_tiers.segment is not null then customer_clv.is_at_risk_high_value end as is_at_risk_high_value,
        -- need-based tags
        case when parameters.needs_enabled then order_tags.top_product_category end as top_product_category,
        case when parameters.needs_enabled then round(order_tags.discounted_order_share, 4) end as discounted_order_share,
        case when parameters.needs_enabled then order_tags.discounted_order_share >= parameters.needs_price_sensitive_min_share end as is_price_sensitive,
        case when parameters.needs_enabled then round(coalesce(ticket_counts.tickets_count, 0) / nullif(current_segments.lifetime_orders_count, 0), 4) end as tickets_per_order,
        case when parameters.needs_enabled then coalesce(ticket_counts.tickets_count, 0) / nullif(current_segments.lifetime_orders_count, 0) >= parameters.needs_service_intensive_min_tickets_per_order end as is_service_intensive,
        case
            when not parameters.needs_enabled or current_segments.average_satisfaction_score is null then null
            when current_segments.average_satisfaction_score < parameters.needs_satisfaction_low_below then 'low'
            when current_segments.average_satisfaction_score >= parameters.needs_satisfaction_high_from then 'high'
            else 'medium'
        end as satisfaction_band,
        case when parameters.needs_enabled then coalesce(referral_counts.referrals_made, 0) end as referrals_made,
        case when parameters.needs_enabled then customers.account_type in (select account_type from strategic_account_types) end as is_strategic_account,
    from customers
    cross join as_of_month
    cross join parameters
    left join current_segments on current_segments.customer_key = customers.customer_key
    left join order_tags on order_tags.customer_key = customers.customer_key
    left join ticket_counts on ticket_counts.customer_key = customers.customer_key
    left join referral_counts on referral_counts.customer_key = customers.customer_key
    left join segments as value_tiers on value_tiers.scheme = 'value' and value_tiers.segment_rank = current_segments.value_tier_rank
    left join segments as abc_classes on abc_classes.scheme = 'abc' and abc_classes.segment_rank = current_segments.abc_class_rank
    left join segments as score_tiers on score_tiers.scheme = 'score' and score_tiers.segment_rank = current_segments.score_tier_rank
    left join segments as rfm_segments on rfm_segments.scheme = 'rfm' and rfm_segments.segment_rank = current_segments.rfm_segment_rank
    left join customer_clv on customer_clv.customer_key = customers.customer_key
    left join segments as clv_tiers on clv_tiers.scheme = 'clv' and clv_tiers.segment_rank = customer_clv.clv_tier_rank
    left join segments as lifecycle_stages
        on lifecycle_stages.scheme = 'lifecycle'
        and lifecycle_stages.segment_rank = coalesce(current_segments.lifecycle_stage_code, 0)
    -- customers created after the as-of date did not exist yet
    where customers.created_date is null
        or customers.created_date <= as_of_month.as_of_date
        or current_segments.customer_key is not null
)

select * from final
