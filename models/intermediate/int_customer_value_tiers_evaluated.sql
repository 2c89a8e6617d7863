-- Each buyer's member level at every month end, from trailing-window revenue and the thresholds in config.
with customer_months as (
    select * from {{ ref('int_customer_months_aggregated') }}
),

tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

thresholds as (
    -- minimums top tier first (config guarantees they fall and end at 0)
    select list(min_revenue_cny order by tier_rank) as min_revenue_cny_by_rank from tiers
),

final as (
    select
        customer_months.*,
        -- rank = 1 + the number of tiers whose minimum is above the revenue
        1 + len(list_filter(thresholds.min_revenue_cny_by_rank, minimum -> minimum > customer_months.trailing_revenue_cny)) as value_tier_rank,
        case
            when not customer_months.is_first_order_month
                then 1 + len(list_filter(thresholds.min_revenue_cny_by_rank, minimum -> minimum > customer_months.previous_trailing_revenue_cny))
        end as previous_value_tier_rank,
    from customer_months
    cross join thresholds
)

select * from final
