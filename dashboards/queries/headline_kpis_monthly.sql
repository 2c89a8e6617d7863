-- Headline KPIs per month for the chosen regions, channels and customer types (sums of dashboard_kpis_monthly).
select
    month_start_date,
    sum(customers) as customers,
    sum(active_customers) as active_customers,
    sum(revenue_cny) as revenue_cny,
    sum(top_tier_revenue_cny) / nullif(sum(revenue_cny), 0) as top_tier_share,
    sum(repeat_customers) / nullif(sum(customers), 0) as repeat_purchase_rate,
    sum(churned_customers) / nullif(sum(churn_exposed_customers), 0) as churn_rate,
    sum(satisfaction_score_sum) / nullif(sum(satisfaction_customers), 0) as average_satisfaction
from warehouse.dashboard_kpis_monthly
where region in ${inputs.region.value}
    and channel in ${inputs.channel.value}
    and customer_type in ${inputs.customer_type.value}
group by month_start_date
