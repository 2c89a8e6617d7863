-- Per scheme, month and (last month's segment → this month's segment): customers and what they did. One pass
-- over the customer-month history serves both the migration matrix and the per-segment KPIs.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

unpivoted as (
    select
        evaluated.month_index,
        evaluated.orders_count,
        evaluated.revenue_cny,
        evaluated.lifetime_orders_count,
        evaluated.average_satisfaction_score,
        evaluated.average_nps_score,
        evaluated.lifecycle_stage_code,
        evaluated.previous_lifecycle_stage_code,
        unnest([
            {scheme_code: 1, segment_rank: evaluated.value_tier_rank, previous_segment_rank: evaluated.previous_value_tier_rank},
            {scheme_code: 2, segment_rank: evaluated.abc_class_rank, previous_segment_rank: evaluated.previous_abc_class_rank},
            {scheme_code: 3, segment_rank: evaluated.score_tier_rank, previous_segment_rank: evaluated.previous_score_tier_rank},
            {scheme_code: 4, segment_rank: evaluated.rfm_segment_rank, previous_segment_rank: evaluated.previous_rfm_segment_rank},
            {scheme_code: 5, segment_rank: evaluated.lifecycle_stage_code, previous_segment_rank: evaluated.previous_lifecycle_stage_code},
        ], recursive := true),
    from evaluated
),

final as (
    select
        cast(scheme_code as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_segment_rank, 0) as utinyint) as from_segment_rank,
        cast(segment_rank as utinyint) as to_segment_rank,
        count(*) as customers,
        count(*) filter (where orders_count > 0) as active_customers,
        cast(sum(orders_count) as bigint) as orders,
        sum(revenue_cny) as revenue_cny,
        count(*) filter (where lifetime_orders_count >= 2) as repeat_customers,
        count(*) filter (where previous_lifecycle_stage_code not in (0, 6)) as churn_exposed_customers,
        count(*) filter (where lifecycle_stage_code = 6 and previous_lifecycle_stage_code not in (0, 6)) as churned_customers,
        sum(average_satisfaction_score) as satisfaction_score_sum,
        count(average_satisfaction_score) as satisfaction_customers,
        sum(average_nps_score) as nps_score_sum,
        count(average_nps_score) as nps_customers,
    from unpivoted
    group by all
)

select * from final
