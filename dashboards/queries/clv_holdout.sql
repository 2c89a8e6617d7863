-- Predicted vs actual purchase days in the holdout per calibration frequency, as rows for a grouped bar chart.
with h as (select * from warehouse.clv_holdout_check where calibration_frequency <> 'all'),
z as (select '${inputs.lang}' = 'zh' as zh)
select calibration_frequency_rank, calibration_frequency, (select case when zh then '实际' else 'Actual' end from z) as measure, actual_purchases as purchase_days_num0 from h
union all
select calibration_frequency_rank, calibration_frequency, (select case when zh then '预测' else 'Predicted' end from z), predicted_purchases from h
order by calibration_frequency_rank, measure
