-- Cohort × months since acquisition for cohorts acquired in the chosen range: active share and revenue.
select
    cohort_month_start_date,
    case when '${inputs.lang}' = 'zh' then strftime(cohort_month_start_date, '%Y年%-m月') else strftime(cohort_month_start_date, '%b %Y') end as cohort_label,
    months_since_acquisition,
    cohort_customers as cohort_customers_num0,
    active_customers as active_customers_num0,
    active_share as active_share_pct0,
    revenue_cny
from warehouse.cohort_retention
where cohort_month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
order by cohort_month_start_date, months_since_acquisition
