-- One row per month-end evaluation date, from the month of the first completed order to the as-of date.
with orders as (
    select * from {{ ref('stg_orders') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

bounds as (
    select
        cast(date_trunc('month', min(orders.order_date)) as date) as first_month_start_date,
        -- `as_of_date: latest` is stored as null: evaluate up to the month end of the latest order
        coalesce(any_value(parameters.as_of_date), last_day(max(orders.order_date))) as as_of_date,
    from orders
    cross join parameters
    where orders.is_revenue
),

months as (
    select
        cast(month_start as date) as month_start_date,
        bounds.as_of_date,
    from bounds,
        range(bounds.first_month_start_date, bounds.as_of_date + interval 1 day, interval 1 month) as spine(month_start)
),

final as (
    select
        month_start_date,
        -- an as-of date inside a month evaluates that month up to the as-of date, never past it
        least(last_day(month_start_date), as_of_date) as month_end_date,
        -- months since year 0: an integer the large models join and sort on
        cast(year(month_start_date) * 12 + month(month_start_date) - 1 as integer) as month_index,
        cast(row_number() over (order by month_start_date) as integer) as month_number,
        month_start_date = max(month_start_date) over () as is_as_of_month,
    from months
)

select * from final
