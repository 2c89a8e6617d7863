-- Mart lifecycle_funnel: the funnel at the as-of date and days to the first purchase by month (small).
select grouping, step_rank, step, step_zh, month_start_date, customers from lifecycle_funnel
