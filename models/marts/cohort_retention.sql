-- Acquisition cohorts: customers by the month of their first purchase, and how many buy again month by month.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

aggregated as (
    select
        first_order_month_index,
        month_index - first_order_month_index as months_since_acquisition,
        count(*) as cohort_customers,
        count(*) filter (where orders_count > 0) as active_customers,
        sum(revenue_cny) as revenue_cny,
    from evaluated
    group by all
),

final as (
    select
        cohort_months.month_start_date as cohort_month_start_date,
        cast(aggregated.months_since_acquisition as integer) as months_since_acquisition,
        aggregated.cohort_customers,
        aggregated.active_customers,
        round(aggregated.active_customers / aggregated.cohort_customers, 4) as active_share,
        cast(aggregated.revenue_cny as decimal(18, 2)) as revenue_cny,
    from aggregated
    inner join months as cohort_months on cohort_months.month_index = aggregated.first_order_month_index
)

select * from final
