-- The holdout check over all customers, with its window for the title.
select
    customers as customers_num0,
    actual_purchases as actual_purchases_num0,
    predicted_purchases as predicted_purchases_num0,
    predicted_purchases / nullif(actual_purchases, 0) - 1 as error_pct1,
    case when '${inputs.lang}' = 'zh'
        then strftime(calibration_end_date + interval 1 day, '%Y-%m-%d') || ' 至 ' || strftime(holdout_end_date, '%Y-%m-%d')
        else strftime(calibration_end_date + interval 1 day, '%d %b %Y') || ' – ' || strftime(holdout_end_date, '%d %b %Y')
    end as holdout_label
from warehouse.clv_holdout_check
where calibration_frequency = 'all'
