-- Each buyer's running totals at every month in which one of them changes — a month with orders or events, or
-- the month an order month leaves the trailing window — each holding until the month before the next change. At a
-- million customers the dense customer × month grid is tens of millions of rows; its totals change in about half of
-- them, and window sums are the costly part of a build, so they are taken here, on the changes only.
-- int_customer_months_aggregated spreads these rows over the months they hold for.
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
    -- completed orders by customer and month
    select
        orders.customer_key,
        cast(year(orders.order_date) * 12 + month(orders.order_date) - 1 as integer) as month_index,
        -- doubles keep the running sums fast (a sum of integers widens to HUGEINT, three times slower); counts are
        -- cast back to integers and money rounded back to cents below
        cast(count(*) as double) as orders_count,
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
        -- the month after the last evaluated one, where the last change stops holding. On the customer's row, not a
        -- scalar subquery inside the window below: that put a cross product in front of its sort (a fifth slower)
        any_value(bounds.last_month_index) + 1 as end_month_index,
    from customer_monthly
    cross join bounds
    group by customer_key
),

order_months as (
    -- a purchase after a gap longer than the churn limit is a comeback
    select
        customer_monthly.*,
        case
            when customer_monthly.month_first_order_date
                - lag(customer_monthly.month_last_order_date) over (partition by customer_monthly.customer_key order by customer_monthly.month_index)
                > (select lifecycle_churn_days from parameters)
                then customer_monthly.month_first_order_date
        end as comeback_date,
    from customer_monthly
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
        cast(sum(customer_events.tickets) as double) as tickets_count,
        cast(sum(customer_events.referrals) as double) as referrals_count,
        cast(sum(customer_events.satisfaction_score) as double) as satisfaction_sum,
        cast(count(customer_events.satisfaction_score) as double) as satisfaction_responses,
        cast(sum(customer_events.nps_score) as double) as nps_sum,
        cast(count(customer_events.nps_score) as double) as nps_responses,
    from customer_events
    inner join first_months using (customer_key)
    where customer_events.event_date <= (select as_of_date from bounds)
    group by all
),

events_running_totals as (
    -- running totals over the (few) event months alone; the activity months below carry them forward
    select
        customer_key,
        month_index,
        sum(tickets_count) over by_month as lifetime_tickets_count,
        sum(referrals_count) over by_month as lifetime_referrals_count,
        sum(satisfaction_sum) over by_month as lifetime_satisfaction_sum,
        sum(satisfaction_responses) over by_month as lifetime_satisfaction_responses,
        sum(nps_sum) over by_month as lifetime_nps_sum,
        sum(nps_responses) over by_month as lifetime_nps_responses,
    from events_monthly
    window by_month as (partition by customer_key order by month_index)
),

changes as (
    -- orders count toward the trailing window from their month and leave it window_months later (a negative change)
    select
        customer_key,
        month_index,
        orders_count,
        revenue_cny,
        orders_count as trailing_orders_change,
        revenue_cny as trailing_revenue_change_cny,
        quantity as trailing_quantity_change,
        month_first_order_date,
        month_last_order_date,
        comeback_date,
        null::double as lifetime_tickets_count,
        null::double as lifetime_referrals_count,
        null::double as lifetime_satisfaction_sum,
        null::double as lifetime_satisfaction_responses,
        null::double as lifetime_nps_sum,
        null::double as lifetime_nps_responses,
    from order_months
    union all
    select
        customer_key,
        month_index + (select value_tier_window_months from parameters),
        0, 0,
        -orders_count, -revenue_cny, -quantity,
        null, null, null,
        null, null, null, null, null, null,
    from customer_monthly
    where month_index + (select value_tier_window_months from parameters) <= (select last_month_index from bounds)
    union all
    select
        customer_key,
        month_index,
        0, 0,
        0, 0, 0,
        null, null, null,
        lifetime_tickets_count, lifetime_referrals_count, lifetime_satisfaction_sum, lifetime_satisfaction_responses, lifetime_nps_sum, lifetime_nps_responses,
    from events_running_totals
),

change_months as (
    -- one row per customer and month in which something changes
    select
        customer_key,
        month_index,
        sum(orders_count) as orders_count,
        sum(revenue_cny) as revenue_cny,
        sum(trailing_orders_change) as trailing_orders_change,
        sum(trailing_revenue_change_cny) as trailing_revenue_change_cny,
        sum(trailing_quantity_change) as trailing_quantity_change,
        min(month_first_order_date) as month_first_order_date,
        max(month_last_order_date) as month_last_order_date,
        max(comeback_date) as comeback_date,
        max(lifetime_tickets_count) as lifetime_tickets_count,
        max(lifetime_referrals_count) as lifetime_referrals_count,
        max(lifetime_satisfaction_sum) as lifetime_satisfaction_sum,
        max(lifetime_satisfaction_responses) as lifetime_satisfaction_responses,
        max(lifetime_nps_sum) as lifetime_nps_sum,
        max(lifetime_nps_responses) as lifetime_nps_responses,
    from changes
    group by customer_key, month_index
),

running_totals as (
    -- one sort of the changes serves every running total and the month of the next change. Window sums cost far
    -- more than lags, so what only needs carrying forward (the latest order and comeback dates, the event totals,
    -- which are running totals already) is carried with lag(… ignore nulls)
    select
        change_months.customer_key,
        change_months.month_index,
        lead(change_months.month_index, 1, first_months.end_month_index) over by_month as next_change_month_index,
        first_months.first_order_month_index,
        first_months.first_order_date,
        change_months.orders_count,
        change_months.revenue_cny,
        sum(change_months.orders_count) over by_month as lifetime_orders_count,
        sum(change_months.revenue_cny) over by_month as lifetime_revenue_cny,
        sum(change_months.trailing_orders_change) over by_month as trailing_orders_count,
        sum(change_months.trailing_revenue_change_cny) over by_month as trailing_revenue_cny,
        sum(change_months.trailing_quantity_change) over by_month as trailing_quantity,
        coalesce(change_months.month_last_order_date, lag(change_months.month_last_order_date ignore nulls) over by_month) as last_order_date,
        coalesce(change_months.comeback_date, lag(change_months.comeback_date ignore nulls) over by_month) as latest_comeback_date,
        coalesce(change_months.lifetime_tickets_count, lag(change_months.lifetime_tickets_count ignore nulls) over by_month, 0) as lifetime_tickets_count,
        coalesce(change_months.lifetime_referrals_count, lag(change_months.lifetime_referrals_count ignore nulls) over by_month, 0) as lifetime_referrals_count,
        coalesce(change_months.lifetime_satisfaction_sum, lag(change_months.lifetime_satisfaction_sum ignore nulls) over by_month) as lifetime_satisfaction_sum,
        coalesce(change_months.lifetime_satisfaction_responses, lag(change_months.lifetime_satisfaction_responses ignore nulls) over by_month) as lifetime_satisfaction_responses,
        coalesce(change_months.lifetime_nps_sum, lag(change_months.lifetime_nps_sum ignore nulls) over by_month) as lifetime_nps_sum,
        coalesce(change_months.lifetime_nps_responses, lag(change_months.lifetime_nps_responses ignore nulls) over by_month) as lifetime_nps_responses,
    from change_months
    -- the acquisition month joins the sparse rows, not the dense ones; nothing before it counts
    inner join first_months using (customer_key)
    window by_month as (partition by change_months.customer_key order by change_months.month_index)
),

final as (
    select
        customer_key,
        month_index,
        cast(next_change_month_index as integer) as next_change_month_index,
        first_order_month_index,
        first_order_date,
        cast(orders_count as integer) as orders_count,
        round(revenue_cny, 2) as revenue_cny,
        round(trailing_revenue_cny, 2) as trailing_revenue_cny,
        cast(trailing_orders_count as integer) as trailing_orders_count,
        trailing_quantity,
        cast(lifetime_orders_count as integer) as lifetime_orders_count,
        round(lifetime_revenue_cny, 2) as lifetime_revenue_cny,
        last_order_date,
        latest_comeback_date,
        cast(lifetime_tickets_count as integer) as lifetime_tickets_count,
        cast(lifetime_referrals_count as integer) as lifetime_referrals_count,
        case when lifetime_satisfaction_responses > 0 then lifetime_satisfaction_sum / lifetime_satisfaction_responses end as average_satisfaction_score,
        case when lifetime_nps_responses > 0 then lifetime_nps_sum / lifetime_nps_responses end as average_nps_score,
    from running_totals
)

select * from final
