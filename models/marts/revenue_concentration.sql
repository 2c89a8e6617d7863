-- The Pareto curve of the as-of month: buyers ranked by trailing-window revenue, top first; at every whole
-- percent of customers, the share of revenue they bring. 101 rows (0 % … 100 %), whatever the number of customers.
with current_tiers as (
    select * from {{ ref('customer_value_tier') }}
),

ranked as (
    select
        row_number() over (order by trailing_revenue_cny desc, customer_id) as customer_position,
        count(*) over () as customers_total,
        sum(trailing_revenue_cny) over (order by trailing_revenue_cny desc, customer_id rows between unbounded preceding and current row) as cumulative_revenue_cny,
        sum(trailing_revenue_cny) over () as revenue_total_cny,
    from current_tiers
),

per_point as (
    -- each customer belongs to the first whole percent that includes them; a point's cumulative revenue is its last customer's
    select
        cast(ceil(100.0 * customer_position / customers_total) as integer) as customer_share_pct,
        max(customer_position) as customers,
        max(cumulative_revenue_cny) as cumulative_revenue_cny,
        max(revenue_total_cny) as revenue_total_cny,
    from ranked
    group by all
),

percent_points as (
    select cast(point as integer) as customer_share_pct from range(0, 101) as points(point)
),

final as (
    select
        percent_points.customer_share_pct,
        (select count(*) from current_tiers) as customers_total,
        -- with fewer than 100 customers some points hold nobody: they carry the point before forward
        cast(coalesce(max(per_point.customers) over (order by percent_points.customer_share_pct), 0) as bigint) as customers,
        cast(coalesce(max(per_point.cumulative_revenue_cny) over (order by percent_points.customer_share_pct), 0) as double) as cumulative_revenue_cny,
        cast(coalesce(
            max(per_point.cumulative_revenue_cny) over (order by percent_points.customer_share_pct)
            / nullif((select sum(trailing_revenue_cny) from current_tiers), 0), 0) as double) as revenue_share,
    from percent_points
    left join per_point using (customer_share_pct)
)

select * from final
