-- A dense customer × month grid from each buyer's first purchase month to the as-of month, so months without orders
-- still count toward trailing windows, lifetime totals and recency: each row of int_customer_totals_accumulated
-- spread over the months it holds for. A view: spreading is cheaper than storing tens of millions of rows.
with totals as (
    select * from {{ ref('int_customer_totals_accumulated') }}
),

spread as (
    select
        totals.* exclude (month_index, next_change_month_index, orders_count, revenue_cny),
        totals.month_index as change_month_index,
        totals.orders_count as change_orders_count,
        totals.revenue_cny as change_revenue_cny,
        cast(unnest(range(totals.month_index, totals.next_change_month_index)) as integer) as month_index,
    from totals
),

final as (
    select
        customer_key,
        month_index,
        first_order_month_index,
        first_order_date,
        -- the month's own orders belong to the month of the change only
        case when month_index = change_month_index then change_orders_count else 0 end as orders_count,
        case when month_index = change_month_index then change_revenue_cny else 0 end as revenue_cny,
        trailing_revenue_cny,
        trailing_orders_count,
        trailing_quantity,
        lifetime_orders_count,
        lifetime_revenue_cny,
        last_order_date,
        latest_comeback_date,
        lifetime_tickets_count,
        lifetime_referrals_count,
        average_satisfaction_score,
        average_nps_score,
    from spread
)

select * from final
