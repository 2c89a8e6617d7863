-- Per month, region, channel and customer type: the overview's headline counts, additive so the dashboard can sum
-- them over any filter (rates are computed there from these counts). Small: months × regions × channels × types.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

aggregated as (
    select
        evaluated.month_index,
        coalesce(customers.region, 'unknown') as region,
        coalesce(customers.channel, 'unknown') as channel,
        coalesce(customers.customer_type, 'unknown') as customer_type,
        count(*) filter (where evaluated.value_tier_rank is not null) as customers,
        count(*) filter (where evaluated.value_tier_rank is not null and evaluated.orders_count > 0) as active_customers,
        sum(evaluated.orders_count) as orders,
        sum(evaluated.revenue_cny) as revenue_cny,
        sum(evaluated.revenue_cny) filter (where evaluated.value_tier_rank = 1) as top_tier_revenue_cny,
        count(*) filter (where evaluated.value_tier_rank is not null and evaluated.lifetime_orders_count >= 2) as repeat_customers,
        -- churn as segment_kpis_monthly counts it: not churned at the previous month end, churned at this one
        count(*) filter (where evaluated.previous_lifecycle_stage_code not in (0, 6)) as churn_exposed_customers,
        count(*) filter (where evaluated.lifecycle_stage_code = 6 and evaluated.previous_lifecycle_stage_code not in (0, 6)) as churned_customers,
        sum(evaluated.average_satisfaction_score) as satisfaction_score_sum,
        count(evaluated.average_satisfaction_score) as satisfaction_customers,
    from evaluated
    left join customers on customers.customer_key = evaluated.customer_key
    group by all
),

final as (
    select
        months.month_start_date,
        aggregated.region,
        aggregated.channel,
        aggregated.customer_type,
        aggregated.customers,
        aggregated.active_customers,
        cast(aggregated.orders as bigint) as orders,
        cast(coalesce(aggregated.revenue_cny, 0) as double) as revenue_cny,
        cast(coalesce(aggregated.top_tier_revenue_cny, 0) as double) as top_tier_revenue_cny,
        aggregated.repeat_customers,
        aggregated.churn_exposed_customers,
        aggregated.churned_customers,
        cast(coalesce(aggregated.satisfaction_score_sum, 0) as double) as satisfaction_score_sum,
        aggregated.satisfaction_customers,
    from aggregated
    inner join months on months.month_index = aggregated.month_index
)

select * from final
