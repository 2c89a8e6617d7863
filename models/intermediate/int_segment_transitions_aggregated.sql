-- Per scheme, month and (last month's segment → this month's segment): customers and what they did. One pass
-- over the customer-month history serves both the migration matrix and the per-segment KPIs.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

final as (
    -- one small aggregate per scheme (1 value, 2 abc, 3 score, 4 rfm, 5 lifecycle): five narrow scans of the
    -- history are cheaper than unpivoting it to five times its rows
    select
        cast(1 as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_value_tier_rank, 0) as utinyint) as from_segment_rank,
        cast(value_tier_rank as utinyint) as to_segment_rank,
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
    from evaluated
    group by all
    union all
    select
        cast(2 as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_abc_class_rank, 0) as utinyint) as from_segment_rank,
        cast(abc_class_rank as utinyint) as to_segment_rank,
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
    from evaluated
    group by all
    union all
    select
        cast(3 as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_score_tier_rank, 0) as utinyint) as from_segment_rank,
        cast(score_tier_rank as utinyint) as to_segment_rank,
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
    from evaluated
    group by all
    union all
    select
        cast(4 as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_rfm_segment_rank, 0) as utinyint) as from_segment_rank,
        cast(rfm_segment_rank as utinyint) as to_segment_rank,
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
    from evaluated
    group by all
    union all
    select
        cast(5 as utinyint) as scheme_code,
        month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        cast(coalesce(previous_lifecycle_stage_code, 0) as utinyint) as from_segment_rank,
        cast(lifecycle_stage_code as utinyint) as to_segment_rank,
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
    from evaluated
    group by all
)

select * from final
