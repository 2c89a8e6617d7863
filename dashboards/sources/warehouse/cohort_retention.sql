-- Mart cohort_retention: acquisition month x months since acquisition.
select
    cohort_month_start_date,
    months_since_acquisition,
    cohort_customers,
    active_customers,
    active_share,
    cast(revenue_cny as double) as revenue_cny
from cohort_retention
