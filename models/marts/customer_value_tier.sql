-- Current member level per buying customer at the as-of date: the list marketing exports and plans with.
with evaluated as (
    select * from {{ ref('int_customer_value_tiers_evaluated') }}
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
    select month_start_date, month_end_date from months where is_as_of_month
),

current_tiers as (
    select evaluated.*
    from evaluated
    inner join as_of_month using (month_start_date)
),

final as (
    select
        current_tiers.customer_id,
        customers.customer_name,
        customers.customer_type,
        customers.region,
        customers.channel,
        current_tiers.month_end_date as as_of_date,
        current_tiers.value_tier as tier,
        current_tiers.value_tier_rank as tier_rank,
        tiers.label_zh as tier_label_zh,
        current_tiers.previous_value_tier as previous_month_tier,
        case
            when current_tiers.previous_value_tier_rank is null then 'new'
            when current_tiers.value_tier_rank < current_tiers.previous_value_tier_rank then 'upgraded'
            when current_tiers.value_tier_rank > current_tiers.previous_value_tier_rank then 'downgraded'
            else 'unchanged'
        end as tier_change,
        current_tiers.trailing_revenue_cny,
        current_tiers.trailing_orders_count,
        current_tiers.lifetime_revenue_cny,
        current_tiers.lifetime_orders_count,
        current_tiers.first_order_month_start_date,
    from current_tiers
    inner join customers using (customer_id)
    inner join tiers on tiers.tier = current_tiers.value_tier
)

select * from final
