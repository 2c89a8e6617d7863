-- Each buyer's member level at every month end, from trailing-window revenue and the thresholds in config.
with customer_months as (
    select * from {{ ref('int_customer_months_aggregated') }}
),

tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

evaluated as (
    select
        customer_months.*,
        tiers.tier as value_tier,
        tiers.tier_rank as value_tier_rank,
    from customer_months
    -- the tier with the highest minimum that the trailing revenue reaches
    asof inner join tiers
        on customer_months.trailing_revenue_cny >= tiers.min_revenue_cny
),

final as (
    select
        *,
        lag(value_tier) over by_customer as previous_value_tier,
        lag(value_tier_rank) over by_customer as previous_value_tier_rank,
    from evaluated
    window by_customer as (partition by customer_id order by month_start_date)
)

select * from final
