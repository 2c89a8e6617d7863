-- Per month and member level: how many customers, how active, how much they bought. Small; the dashboard reads it.
with evaluated as (
    select * from {{ ref('int_customer_value_tiers_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

month_tiers as (
    -- every tier in every month, so an empty tier shows as zero instead of a gap
    select
        months.month_start_date,
        months.month_end_date,
        tiers.tier,
        tiers.tier_rank,
    from months
    cross join tiers
),

aggregated as (
    select
        month_start_date,
        value_tier as tier,
        count(*) as customers,
        count(*) filter (where orders_count > 0) as active_customers,
        sum(orders_count) as orders,
        sum(revenue_cny) as revenue_cny,
        sum(trailing_revenue_cny) as trailing_revenue_cny,
        count(*) filter (where value_tier_rank < previous_value_tier_rank) as upgraded_customers,
        count(*) filter (where value_tier_rank > previous_value_tier_rank) as downgraded_customers,
        count(*) filter (where previous_value_tier is null) as new_customers,
    from evaluated
    group by month_start_date, value_tier
),

final as (
    select
        month_tiers.month_start_date,
        month_tiers.month_end_date,
        month_tiers.tier,
        month_tiers.tier_rank,
        coalesce(aggregated.customers, 0) as customers,
        coalesce(aggregated.active_customers, 0) as active_customers,
        coalesce(aggregated.new_customers, 0) as new_customers,
        coalesce(aggregated.upgraded_customers, 0) as upgraded_customers,
        coalesce(aggregated.downgraded_customers, 0) as downgraded_customers,
        cast(coalesce(aggregated.orders, 0) as bigint) as orders,
        cast(coalesce(aggregated.revenue_cny, 0) as double) as revenue_cny,
        cast(coalesce(aggregated.trailing_revenue_cny, 0) as double) as trailing_revenue_cny,
    from month_tiers
    left join aggregated
        on aggregated.month_start_date = month_tiers.month_start_date
        and aggregated.tier = month_tiers.tier
)

select * from final
