-- Month-to-month upgrade and downgrade rates of the chosen ranked scheme (rank 1 = top): of the customers who had a
-- segment at the previous month end, the share now in a higher / lower one. Not meaningful for RFM and lifecycle.
select
    month_start_date as month,
    sum(customers) filter (where from_segment_rank > 0 and to_segment_rank < from_segment_rank)
        / nullif(sum(customers) filter (where from_segment_rank > 0), 0) as upgrade_rate_pct1,
    sum(customers) filter (where from_segment_rank > 0 and to_segment_rank > from_segment_rank)
        / nullif(sum(customers) filter (where from_segment_rank > 0), 0) as downgrade_rate_pct1
from warehouse.tier_migration_monthly
where scheme = '${inputs.scheme.value}'
    and month_start_date between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
group by month_start_date
having sum(customers) filter (where from_segment_rank > 0) > 0
order by month_start_date
