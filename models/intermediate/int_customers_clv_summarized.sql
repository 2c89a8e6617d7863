-- The calibration summary of the buy-till-you-die models, per customer and per split (see clv_parameters):
-- frequency = repeat purchase days, recency and T in the split's time unit, monetary = mean repeat-day value.
-- Keyed by customer_key only: carrying the text id through 20M purchase-day rows cost more than a later join.
with orders as (
    select * from {{ ref('stg_orders') }}
),

parameters as (
    select * from {{ source('clv', 'parameters') }}
),

-- purchases on the same day count once, with their amounts summed
purchase_days as (
    select
        customer_key,
        order_date as purchase_date,
        sum(amount_cny) as amount_cny,
    from orders
    where is_revenue
    group by customer_key, order_date
),

data_end as (
    select max(purchase_date) as last_purchase_date from purchase_days
),

-- a split without its own calibration end ends its calibration holdout_months before the last purchase day
splits as (
    select
        parameters.split,
        parameters.time_unit,
        parameters.unit_days,
        coalesce(
            parameters.calibration_end_date,
            cast(data_end.last_purchase_date - to_months(parameters.holdout_months) as date)
        ) as calibration_end_date,
        coalesce(parameters.holdout_end_date, data_end.last_purchase_date) as holdout_end_date,
    from parameters
    cross join data_end
),

-- the same history one month before the calibration end, for the trend of P(alive)
splits_with_month_ago as (
    select
        *,
        cast(calibration_end_date - interval 1 month as date) as month_ago_date,
    from splits
),

per_customer as (
    select
        splits.split,
        purchase_days.customer_key,
        any_value(splits.time_unit) as time_unit,
        any_value(splits.unit_days) as unit_days,
        any_value(splits.calibration_end_date) as calibration_end_date,
        any_value(splits.holdout_end_date) as holdout_end_date,
        any_value(splits.month_ago_date) as month_ago_date,
        min(purchase_days.purchase_date) filter (where purchase_days.purchase_date <= splits.calibration_end_date) as first_purchase_date,
        max(purchase_days.purchase_date) filter (where purchase_days.purchase_date <= splits.calibration_end_date) as last_purchase_date,
        count(*) filter (where purchase_days.purchase_date <= splits.calibration_end_date) as purchase_days_count,
        sum(purchase_days.amount_cny) filter (where purchase_days.purchase_date <= splits.calibration_end_date) as calibration_value_cny,
        arg_min(purchase_days.amount_cny, purchase_days.purchase_date) filter (where purchase_days.purchase_date <= splits.calibration_end_date) as first_day_value_cny,
        max(purchase_days.purchase_date) filter (where purchase_days.purchase_date <= splits.month_ago_date) as last_purchase_date_month_ago,
        count(*) filter (where purchase_days.purchase_date <= splits.month_ago_date) as purchase_days_count_month_ago,
        count(*) filter (
            where purchase_days.purchase_date > splits.calibration_end_date
            and purchase_days.purchase_date <= splits.holdout_end_date
        ) as holdout_purchase_days,
    from purchase_days
    cross join splits_with_month_ago as splits
    group by splits.split, purchase_days.customer_key
),

final as (
    select
        split,
        customer_key,
        time_unit,
        calibration_end_date,
        holdout_end_date,
        first_purchase_date,
        last_purchase_date,
        purchase_days_count - 1 as frequency,
        (last_purchase_date - first_purchase_date) / unit_days as recency_units,
        (calibration_end_date - first_purchase_date) / unit_days as t_units,
        -- rounded: a parallel sum adds in any order, and the last bits must not move the fit between runs
        case
            when purchase_days_count > 1
                then round((calibration_value_cny - first_day_value_cny) / (purchase_days_count - 1), 6)
        end as monetary_cny,
        holdout_purchase_days,
        (holdout_end_date - calibration_end_date) / unit_days as holdout_length_units,
        case when purchase_days_count_month_ago > 0 then purchase_days_count_month_ago - 1 end as frequency_month_ago,
        (last_purchase_date_month_ago - first_purchase_date) / unit_days as recency_month_ago_units,
        case when purchase_days_count_month_ago > 0 then (month_ago_date - first_purchase_date) / unit_days end as t_month_ago_units,
    from per_customer
    -- customers whose first purchase falls after the calibration end are not in this split
    where purchase_days_count > 0
)

select * from final
