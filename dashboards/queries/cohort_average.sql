-- Average retention curve of the chosen cohorts: active customers ÷ cohort customers, per month since acquisition.
select
    months_since_acquisition,
    sum(active_customers_num0) / sum(cohort_customers_num0) as active_share_pct1,
    count(*) as cohorts_num0
from ${cohorts}
group by months_since_acquisition
order by months_since_acquisition
