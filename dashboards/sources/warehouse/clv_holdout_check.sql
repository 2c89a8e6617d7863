-- Mart clv_holdout_check: predicted vs actual purchase days in the holdout, per calibration frequency (9 rows at most).
select
    calibration_frequency,
    calibration_frequency_rank,
    calibration_end_date,
    holdout_end_date,
    customers,
    cast(actual_purchases as double) as actual_purchases,
    cast(predicted_purchases as double) as predicted_purchases,
    cast(actual_purchases_per_customer as double) as actual_purchases_per_customer,
    cast(predicted_purchases_per_customer as double) as predicted_purchases_per_customer
from clv_holdout_check
