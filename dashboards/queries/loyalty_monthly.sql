-- Loyalty measures per segment of the chosen scheme and month in the chosen range (mart segment_kpis_monthly).
-- The lifecycle Prospect row has none of them and is left out.
select
    month_start_date as month,
    segment_rank,
    case when '${inputs.lang}' = 'zh' then segment_zh else segment end as segment_label,
    retention_rate as retention_rate_pct1,
    churn_rate as churn_rate_pct1,
    repeat_purchase_rate as repeat_purchase_rate_pct1,
    average_satisfaction_score as satisfaction_num2,
    average_nps_score as nps_num1
from warehouse.segment_kpis_monthly
where scheme = '${inputs.scheme.value}'
    and not (scheme = 'lifecycle' and segment_rank = 0)
    and month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
order by month_start_date, segment_rank
