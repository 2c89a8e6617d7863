-- Conversion rates per month in the chosen range: prospects who made a first purchase (of last month's prospects),
-- New customers who became Active or Loyal, and Active customers who became Loyal (of last month's in that stage).
with z as (select '${inputs.lang}' = 'zh' as zh),
prospects as (
    select month_start_date as month, 1 as series_order,
        (select case when zh then '潜在客户 → 首次购买' else 'Prospect → first purchase' end from z) as conversion,
        prospect_conversion_rate as rate_pct1
    from warehouse.segment_kpis_monthly
    where scheme = 'lifecycle' and segment_rank = 0
),
stage_moves as (
    select
        month_start_date as month,
        sum(customers) filter (where from_segment_rank = 1 and to_segment_rank in (2, 3)) / nullif(sum(customers) filter (where from_segment_rank = 1), 0) as new_to_active,
        sum(customers) filter (where from_segment_rank = 2 and to_segment_rank = 3) / nullif(sum(customers) filter (where from_segment_rank = 2), 0) as active_to_loyal
    from warehouse.tier_migration_monthly
    where scheme = 'lifecycle'
    group by month_start_date
),
rates as (
    select * from prospects
    union all
    select month, 2, (select case when zh then '新客户 → 活跃 / 忠诚' else 'New → Active or Loyal' end from z), new_to_active from stage_moves
    union all
    select month, 3, (select case when zh then '活跃 → 忠诚' else 'Active → Loyal' end from z), active_to_loyal from stage_moves
)
select * from rates
where month between (select first_month from ${selected_window}) and (select last_month from ${selected_window})
    and rate_pct1 is not null
order by month, series_order
