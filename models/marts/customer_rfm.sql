-- Recency, frequency and monetary value per buying customer at the as-of date, scored 1..bins and named.
with orders as (
    select * from {{ ref('stg_orders') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

segments as (
    select * from {{ source('config', 'rfm_segments') }}
),

as_of as (
    select max(month_end_date) as as_of_date from months
),

customer_orders as (
    select
        orders.customer_id,
        as_of.as_of_date,
        min(orders.order_date) as first_order_date,
        max(orders.order_date) as last_order_date,
        count(*) as frequency_orders,
        sum(orders.amount_cny) as monetary_cny,
    from orders
    cross join as_of
    where orders.is_revenue
        and orders.order_date <= as_of.as_of_date
    group by orders.customer_id, as_of.as_of_date
),

scored as (
    -- equal-size bins by rank: ties share the lower score, so equal values never land in different bins
    select
        customer_orders.*,
        cast(customer_orders.as_of_date - customer_orders.last_order_date as integer) as recency_days,
        cast(1 + floor(parameters.rfm_bins * (rank() over (order by customer_orders.as_of_date - customer_orders.last_order_date desc) - 1) / count(*) over ()) as integer) as recency_score,
        cast(1 + floor(parameters.rfm_bins * (rank() over (order by customer_orders.frequency_orders) - 1) / count(*) over ()) as integer) as frequency_score,
        cast(1 + floor(parameters.rfm_bins * (rank() over (order by customer_orders.monetary_cny) - 1) / count(*) over ()) as integer) as monetary_score,
    from customer_orders
    cross join parameters
),

segmented as (
    -- the first rule (lowest rule_order) whose score ranges contain the customer's scores
    select
        scored.customer_id,
        arg_min(segments.segment, segments.rule_order) as rfm_segment,
        arg_min(segments.segment_zh, segments.rule_order) as rfm_segment_zh,
    from scored
    left join segments
        on scored.recency_score between segments.recency_score_min and segments.recency_score_max
        and scored.frequency_score between segments.frequency_score_min and segments.frequency_score_max
        and scored.monetary_score between segments.monetary_score_min and segments.monetary_score_max
    group by scored.customer_id
),

final as (
    select
        scored.customer_id,
        scored.as_of_date,
        scored.first_order_date,
        scored.last_order_date,
        scored.recency_days,
        scored.frequency_orders,
        cast(scored.monetary_cny as decimal(18, 2)) as monetary_cny,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        concat(scored.recency_score, scored.frequency_score, scored.monetary_score) as rfm_score,
        coalesce(segmented.rfm_segment, parameters.rfm_other_segment) as rfm_segment,
        coalesce(segmented.rfm_segment_zh, parameters.rfm_other_segment_zh) as rfm_segment_zh,
    from scored
    inner join segmented using (customer_id)
    cross join parameters
)

select * from final
