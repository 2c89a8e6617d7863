-- Current member level per buying customer at the as-of date: the list marketing exports and plans with.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

as_of_month as (
    select month_index, month_end_date from months where is_as_of_month
),

current_tiers as (
    select
        evaluated.*,
        as_of_month.month_end_date,
    from evaluated
    inner join as_of_month using (month_index)
),

final as (
    select
        customers.customer_id,
        customers.customer_name,
        customers.customer_type,
        customers.region,
        customers.channel,
        current_tiers.month_end_date as as_of_date,
        tiers.tier,
        tiers.tier_rank,
        tiers.label_zh as tier_label_zh,
        previous_tiers.tier as previous_month_tier,
        case
            when current_tiers.previous_value_tier_rank is null then 'new'
            when current_tiers.value_tier_rank < current_tiers.previous_value_tier_rank then 'upgraded'
            when current_tiers.value_tier_rank > current_tiers.previous_value_tier_rank then 'downgraded'
            else 'unchanged'
        end as tier_change,
        cast(current_tiers.trailing_revenue_cny as decimal(18, 2)) as trailing_revenue_cny,
        current_tiers.trailing_orders_count,
        cast(current_tiers.lifetime_revenue_cny as decimal(18, 2)) as lifetime_revenue_cny,
        current_tiers.lifetime_orders_count,
        current_tiers.first_order_date,
    from current_tiers
    inner join customers on customers.customer_key = current_tiers.customer_key
    inner join tiers on tiers.tier_rank = current_tiers.value_tier_rank
    left join tiers as previous_tiers on previous_tiers.tier_rank = current_tiers.previous_value_tier_rank
)

select * from final
