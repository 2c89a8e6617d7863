-- A dense customer × month grid from each buyer's first purchase month on, so months without orders still
-- count toward trailing windows and tier membership.
with orders as (
    select * from {{ ref('stg_orders') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

revenue_orders as (
    select
        orders.customer_id,
        cast(date_trunc('month', orders.order_date) as date) as month_start_date,
        orders.amount_cny,
    from orders
    -- no look-ahead: nothing after the as-of date counts
    where orders.is_revenue
        and orders.order_date <= (select max(month_end_date) from months)
),

customer_monthly as (
    select
        customer_id,
        month_start_date,
        count(*) as orders_count,
        sum(amount_cny) as revenue_cny,
    from revenue_orders
    group by customer_id, month_start_date
),

first_months as (
    select
        customer_id,
        min(month_start_date) as first_order_month_start_date,
    from customer_monthly
    group by customer_id
),

grid as (
    select
        first_months.customer_id,
        first_months.first_order_month_start_date,
        months.month_start_date,
        months.month_end_date,
    from first_months
    inner join months
        on months.month_start_date >= first_months.first_order_month_start_date
),

filled as (
    select
        grid.*,
        coalesce(customer_monthly.orders_count, 0) as orders_count,
        coalesce(customer_monthly.revenue_cny, 0) as revenue_cny,
    from grid
    left join customer_monthly
        on customer_monthly.customer_id = grid.customer_id
        and customer_monthly.month_start_date = grid.month_start_date
),

final as (
    select
        filled.customer_id,
        filled.first_order_month_start_date,
        filled.month_start_date,
        filled.month_end_date,
        filled.orders_count,
        cast(filled.revenue_cny as decimal(18, 2)) as revenue_cny,
        cast(sum(filled.revenue_cny) over trailing_window as decimal(18, 2)) as trailing_revenue_cny,
        sum(filled.orders_count) over trailing_window as trailing_orders_count,
        cast(sum(filled.revenue_cny) over to_date_window as decimal(18, 2)) as lifetime_revenue_cny,
        sum(filled.orders_count) over to_date_window as lifetime_orders_count,
    from filled
    cross join parameters
    window
        trailing_window as (
            partition by filled.customer_id order by filled.month_start_date
            rows between parameters.value_tier_window_months - 1 preceding and current row
        ),
        to_date_window as (
            partition by filled.customer_id order by filled.month_start_date
            rows between unbounded preceding and current row
        )
)

select * from final
