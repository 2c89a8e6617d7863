-- A dense customer × month grid from each buyer's first purchase month on, so months without orders still
-- count toward trailing windows, lifetime totals and recency. Integer keys throughout: at a million customers
-- this is tens of millions of rows, so it is built once (one window sort) and every scheme reads it.
with orders as (
    select * from {{ ref('stg_orders') }}
),

surveys as (
    select * from {{ ref('stg_surveys') }}
),

tickets as (
    select * from {{ ref('stg_tickets') }}
),

referrals as (
    select * from {{ ref('stg_referrals') }}
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
        cast(sum(orders.quantity) as double) as quantity,
        min(orders.order_date) as month_first_order_date,
        max(orders.order_date) as month_last_order_date,
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
        min(month_first_order_date) as first_order_date,
    from customer_monthly
    group by customer_key
),

customer_events as (
    -- surveys, tickets and referrals made, by the month they happened (up to the as-of date)
    select customer_key, survey_date as event_date, 0 as tickets, 0 as referrals,
        satisfaction_score, nps_score,
    from surveys
    union all
    select customer_key, opened_date, 1, 0, null, null from tickets
    union all
    select referrer_customer_key, referral_date, 0, 1, null, null from referrals
),

events_monthly as (
    -- events before a customer's first purchase count from their first purchase month on
    select
        customer_events.customer_key,
        cast(greatest(year(customer_events.event_date) * 12 + month(customer_events.event_date) - 1, first_months.first_order_month_index) as integer) as month_index,
        cast(sum(customer_events.tickets) as integer) as tickets_count,
        cast(sum(customer_events.referrals) as integer) as referrals_count,
        cast(sum(customer_events.satisfaction_score) as double) as satisfaction_sum,
        cast(count(customer_events.satisfaction_score) as integer) as satisfaction_responses,
        cast(sum(customer_events.nps_score) as double) as nps_sum,
        cast(count(customer_events.nps_score) as integer) as nps_responses,
    from customer_events
    inner join first_months using (customer_key)
    where customer_events.event_date <= (select as_of_date from bounds)
    group by all
),

grid as (
    select
        first_months.customer_key,
        first_months.first_order_month_index,
        first_months.first_order_date,
        cast(unnest(range(first_months.first_order_month_index, bounds.last_month_index + 1)) as integer) as month_index,
    from first_months
    cross join bounds
),

filled as (
    select
        grid.*,
        coalesce(customer_monthly.orders_count, 0) as orders_count,
        coalesce(customer_monthly.revenue_cny, 0) as revenue_cny,
        coalesce(customer_monthly.quantity, 0) as quantity,
        customer_monthly.month_first_order_date,
        customer_monthly.month_last_order_date,
        coalesce(events_monthly.tickets_count, 0) as tickets_count,
        coalesce(events_monthly.referrals_count, 0) as referrals_count,
        coalesce(events_monthly.satisfaction_sum, 0) as satisfaction_sum,
        coalesce(events_monthly.satisfaction_responses, 0) as satisfaction_responses,
        coalesce(events_monthly.nps_sum, 0) as nps_sum,
        coalesce(events_monthly.nps_responses, 0) as nps_responses,
    from grid
    left join customer_monthly
        on customer_monthly.customer_key = grid.customer_key
        and customer_monthly.month_index = grid.month_index
    left join events_monthly
        on events_monthly.customer_key = grid.customer_key
        and events_monthly.month_index = grid.month_index
),

windowed as (
    -- one sort of the grid serves every window function here (same partition and order, different frames)
    select
        filled.*,
        sum(filled.revenue_cny) over trailing_window as trailing_revenue_cny,
        sum(filled.orders_count) over trailing_window as trailing_orders_count,
        sum(filled.quantity) over trailing_window as trailing_quantity,
        sum(filled.orders_count) over lifetime as lifetime_orders_count,
        sum(filled.revenue_cny) over lifetime as lifetime_revenue_cny,
        max(filled.month_last_order_date) over lifetime as last_order_date,
        -- the latest order before this month: a purchase after a long gap is a comeback
        max(filled.month_last_order_date) over before_this_month as previous_order_date,
        sum(filled.tickets_count) over lifetime as lifetime_tickets_count,
        sum(filled.referrals_count) over lifetime as lifetime_referrals_count,
        sum(filled.satisfaction_sum) over lifetime as lifetime_satisfaction_sum,
        sum(filled.satisfaction_responses) over lifetime as lifetime_satisfaction_responses,
        sum(filled.nps_sum) over lifetime as lifetime_nps_sum,
        sum(filled.nps_responses) over lifetime as lifetime_nps_responses,
    from filled
    cross join parameters
    window
        trailing_window as (
            partition by filled.customer_key order by filled.month_index
            rows between parameters.value_tier_window_months - 1 preceding and current row
        ),
        lifetime as (partition by filled.customer_key order by filled.month_index rows between unbounded preceding and current row),
        before_this_month as (partition by filled.customer_key order by filled.month_index rows between unbounded preceding and 1 preceding)
),

final as (
    select
        customer_key,
        month_index,
        first_order_month_index,
        first_order_date,
        month_index = first_order_month_index as is_first_order_month,
        orders_count,
        round(revenue_cny, 2) as revenue_cny,
        round(trailing_revenue_cny, 2) as trailing_revenue_cny,
        cast(trailing_orders_count as integer) as trailing_orders_count,
        trailing_quantity,
        cast(lifetime_orders_count as integer) as lifetime_orders_count,
        round(lifetime_revenue_cny, 2) as lifetime_revenue_cny,
        last_order_date,
        month_first_order_date,
        previous_order_date,
        cast(lifetime_tickets_count as integer) as lifetime_tickets_count,
        cast(lifetime_referrals_count as integer) as lifetime_referrals_count,
        case when lifetime_satisfaction_responses > 0 then lifetime_satisfaction_sum / lifetime_satisfaction_responses end as average_satisfaction_score,
        case when lifetime_nps_responses > 0 then lifetime_nps_sum / lifetime_nps_responses end as average_nps_score,
    from windowed
)

select * from final
