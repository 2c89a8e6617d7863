-- The CLV forecast's as-of date (the last purchase day) and horizon, for titles.
select
    case when '${inputs.lang}' = 'zh' then strftime(max(calibration_end_date), '%Y-%m-%d') else strftime(max(calibration_end_date), '%d %b %Y') end as as_of_label
from warehouse.clv_model_fit
where split = 'forecast'
