-- A dense customer × month grid from each buyer's first purchase month on, so months without orders still
-- count toward trailing windows and tier membership. Integer keys throughout: at a million customers this is
-- tens of millions of rows.
with orders as (
    select * from {{ ref('stg_orders') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

bounds as (
    select
        max(month_end_date) as as_of_date,
        max(month_index) as last_month_index,
    from months
),

customer_monthly as (
    select
        orders.customer_key,
        cast(year(orders.order_date) * 12 + month(orders.order_date) - 1 as integer) as month_index,
        cast(count(*) as integer) as orders_count,
        -- doubles keep the big window sums fast; every sum is rounded back to cents below
        cast(sum(orders.amount_cny) as double) as revenue_cny,
    from orders
    -- no look-ahead: nothing after the as-of date counts
    where orders.is_revenue
        and orders.order_date <= (select as_of_date from bounds)
    group by all
),

first_months as (
    select
        customer_key,
        min(month_index) as first_order_month_index,
    from customer_monthly
    group by customer_key
),

grid as (
    select
        first_months.customer_key,
        cast(unnest(range(first_months.first_order_month_index, bounds.last_month_index + 1)) as integer) as month_index,
    from first_months
    cross join bounds
),

filled as (
    select
        grid.*,
        coalesce(customer_monthly.orders_count, 0) as orders_count,
        coalesce(customer_monthly.revenue_cny, 0) as revenue_cny,
    from grid
    left join customer_monthly
        on customer_monthly.customer_key = grid.customer_key
        and customer_monthly.month_index = grid.month_index
),

windowed as (
    -- one sort of the grid serves every window function here (same partition and order); the grid is kept
    -- narrow because the sort carries every column
    select
        filled.*,
        sum(filled.revenue_cny) over trailing_window as trailing_revenue_cny,
        sum(filled.orders_count) over trailing_window as trailing_orders_count,
        -- the window one month earlier: drop this month, add back the month that just left
        lag(filled.revenue_cny, parameters.value_tier_window_months, 0) over trailing_window as revenue_leaving_window_cny,
        lag(filled.month_index) over trailing_window is null as is_first_order_month,
    from filled
    cross join parameters
    window trailing_window as (
        partition by filled.customer_key order by filled.month_index
        rows between parameters.value_tier_window_months - 1 preceding and current row
    )
),

final as (
    select
        customer_key,
        month_index,
        is_first_order_month,
        orders_count,
        round(revenue_cny, 2) as revenue_cny,
        round(trailing_revenue_cny, 2) as trailing_revenue_cny,
        cast(trailing_orders_count as integer) as trailing_orders_count,
        case
            when not is_first_order_month
                then round(trailing_revenue_cny - revenue_cny + revenue_leaving_window_cny, 2)
        end as previous_trailing_revenue_cny,
    from windowed
)

select * from final
