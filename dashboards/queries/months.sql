-- Every evaluation month, for the month-range dropdowns: value 'YYYY-MM-DD', label in the chosen language.
select
    strftime(month_start_date, '%Y-%m-%d') as month_value,
    case when '${inputs.lang}' = 'zh' then strftime(month_start_date, '%Y年%-m月') else strftime(month_start_date, '%b %Y') end as month_label,
    month_start_date,
    month_start_date = max(month_start_date) over () as is_latest,
    strftime(max(month_start_date) over () - interval 23 month, '%Y-%m-%d') as default_from_value,
    strftime(min(month_start_date) over (), '%Y-%m-%d') as first_month_value,
    strftime(max(month_start_date) over (), '%Y-%m-%d') as latest_month_value
from (select distinct month_start_date from warehouse.segment_kpis_monthly)
order by month_start_date
