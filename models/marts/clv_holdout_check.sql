with summary as (
    select * from {{ ref('int_customers_clv_summarized') }}
),

histories as (
    select * from {{ source('clv', 'fitted_histories') }}
),

validation as (
    select
        least(summary.frequency, 7) as frequency_band,
        summary.holdout_purchase_days,
        histories.expected_purchases_holdout,
        summary.calibration_end_date,
        summary.holdout_end_date,
    from summary
    inner join histories
        on histories.split = summary.split
        and histories.frequency = summary.frequency
        and histories.recency_units = summary.recency_units
        and histories.t_units = summary.t_units
    where summary.split = 'validation'
),

grouped as (
    select
        case
            when grouping(frequency_band) = 1 then 'all'
            when frequency_band = 7 then '7+'
            else cast(frequency_band as varchar)
        end as calibration_frequency,
        coalesce(frequency_band, 8) as calibration_frequency_rank,
        any_value(calibration_end_date) as calibration_end_date,
        any_value(holdout_end_date) as holdout_end_date,
        count(*) as customers,
        sum(holdout_purchase_days) as actual_purchases,
        -- Kahan sum, rounded: the same numbers on every run whatever the order threads add in
        round(fsum(expected_purchases_holdout), 6) as predicted_purchases,
    from validation
    group by grouping sets ((frequency_band), ())
),

final as (
    select
        *,
        actual_purchases / customers as actual_purchases_per_customer,
        predicted_purchases / customers as predicted_purchases_per_customer,
    from grouped
    -- a history too short for a holdout has no validation customers: no rows, rather than an empty 'all'
    where customers > 0
)

select * from final
