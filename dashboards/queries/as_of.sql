-- The latest evaluation month (the as-of month of the current segments), labelled in the chosen language.
select
    max(month_start_date) as as_of_month,
    case when '${inputs.lang}' = 'zh' then strftime(max(month_start_date), '%Y年%-m月') else strftime(max(month_start_date), '%b %Y') end as as_of_label
from warehouse.segment_kpis_monthly
