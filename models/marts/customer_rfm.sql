-- Recency, frequency and monetary value per buying customer at the as-of date, scored 1..bins and named.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

segments as (
    select * from {{ source('config', 'segments') }}
),

as_of_month as (
    select month_index, month_end_date from months where is_as_of_month
),

final as (
    select
        customers.customer_id,
        as_of_month.month_end_date as as_of_date,
        evaluated.first_order_date,
        evaluated.last_order_date,
        evaluated.recency_days,
        evaluated.lifetime_orders_count as frequency_orders,
        cast(evaluated.lifetime_revenue_cny as decimal(18, 2)) as monetary_cny,
        cast(evaluated.recency_score as integer) as recency_score,
        cast(evaluated.frequency_score as integer) as frequency_score,
        cast(evaluated.monetary_score as integer) as monetary_score,
        concat(evaluated.recency_score, evaluated.frequency_score, evaluated.monetary_score) as rfm_score,
        segments.segment as rfm_segment,
        segments.segment_zh as rfm_segment_zh,
    from evaluated
    inner join as_of_month using (month_index)
    inner join customers on customers.customer_key = evaluated.customer_key
    inner join segments
        on segments.scheme = 'rfm'
        and segments.segment_rank = evaluated.rfm_segment_rank
)

select * from final
