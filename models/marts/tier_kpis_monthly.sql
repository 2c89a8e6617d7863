-- Per month and member level: how many customers, how active, how much they bought. Small; the dashboard reads it.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

aggregated as (
    select
        month_index,
        value_tier_rank,
        count(*) as customers,
        count(*) filter (where orders_count > 0) as active_customers,
        count(*) filter (where previous_value_tier_rank is null) as new_customers,
        count(*) filter (where value_tier_rank < previous_value_tier_rank) as upgraded_customers,
        count(*) filter (where value_tier_rank > previous_value_tier_rank) as downgraded_customers,
        sum(orders_count) as orders,
        sum(revenue_cny) as revenue_cny,
        sum(trailing_revenue_cny) as trailing_revenue_cny,
    from evaluated
    group by month_index, value_tier_rank
),

final as (
    -- every tier in every month, so an empty tier shows as zero instead of a gap
    select
        months.month_start_date,
        months.month_end_date,
        tiers.tier,
        tiers.tier_rank,
        coalesce(aggregated.customers, 0) as customers,
        coalesce(aggregated.active_customers, 0) as active_customers,
        coalesce(aggregated.new_customers, 0) as new_customers,
        coalesce(aggregated.upgraded_customers, 0) as upgraded_customers,
        coalesce(aggregated.downgraded_customers, 0) as downgraded_customers,
        cast(coalesce(aggregated.orders, 0) as bigint) as orders,
        cast(coalesce(aggregated.revenue_cny, 0) as double) as revenue_cny,
        cast(coalesce(aggregated.trailing_revenue_cny, 0) as double) as trailing_revenue_cny,
    from months
    cross join tiers
    left join aggregated
        on aggregated.month_index = months.month_index
        and aggregated.value_tier_rank = tiers.tier_rank
)

select * from final
