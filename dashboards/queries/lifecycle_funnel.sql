-- The funnel at the as-of date: known customers → bought once → bought again → loyal now.
select
    step_rank,
    case when '${inputs.lang}' = 'zh' then step_zh else step end as step_label,
    customers as customers_num0
from warehouse.lifecycle_funnel
where grouping = 'funnel'
order by step_rank
