-- Per scheme, month and (last month's segment → this month's segment): customers and what they did. One pass
-- over the customer-month history serves both the migration matrix and the per-segment KPIs.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

schemes as (
    -- 1 value, 2 abc, 3 score, 4 rfm, 5 lifecycle
    select cast(scheme_code as utinyint) as scheme_code from range(1, 6) as codes(scheme_code)
),

combinations as (
    -- the one pass: per month and combination of all five schemes' (last month's, this month's) segments — about
    -- 131,000 at a million customers — what its customer-months did. Five scans of the history, one per scheme,
    -- cost twice as much; unpivoting it first would make five times its rows
    select
        month_index,
        value_tier_rank,
        previous_value_tier_rank,
        abc_class_rank,
        previous_abc_class_rank,
        score_tier_rank,
        previous_score_tier_rank,
        rfm_segment_rank,
        previous_rfm_segment_rank,
        lifecycle_stage_code,
        previous_lifecycle_stage_code,
        count(*) as customers,
        count(*) filter (where orders_count > 0) as active_customers,
        sum(orders_count) as orders,
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
),

scheme_combinations as (
    -- each combination once per scheme, as that scheme's move
    select
        schemes.scheme_code,
        combinations.month_index,
        -- 0: not a buyer at the previous month end (a prospect)
        coalesce(case schemes.scheme_code
            when 1 then combinations.previous_value_tier_rank
            when 2 then combinations.previous_abc_class_rank
            when 3 then combinations.previous_score_tier_rank
            when 4 then combinations.previous_rfm_segment_rank
            else combinations.previous_lifecycle_stage_code
        end, 0) as from_segment_rank,
        case schemes.scheme_code
            when 1 then combinations.value_tier_rank
            when 2 then combinations.abc_class_rank
            when 3 then combinations.score_tier_rank
            when 4 then combinations.rfm_segment_rank
            else combinations.lifecycle_stage_code
        end as to_segment_rank,
        combinations.* exclude (month_index),
    from combinations
    cross join schemes
),

final as (
    select
        scheme_code,
        month_index,
        cast(from_segment_rank as utinyint) as from_segment_rank,
        cast(to_segment_rank as utinyint) as to_segment_rank,
        cast(sum(customers) as bigint) as customers,
        cast(sum(active_customers) as bigint) as active_customers,
        cast(sum(orders) as bigint) as orders,
        sum(revenue_cny) as revenue_cny,
        cast(sum(repeat_customers) as bigint) as repeat_customers,
        cast(sum(churn_exposed_customers) as bigint) as churn_exposed_customers,
        cast(sum(churned_customers) as bigint) as churned_customers,
        sum(satisfaction_score_sum) as satisfaction_score_sum,
        cast(sum(satisfaction_customers) as bigint) as satisfaction_customers,
        sum(nps_score_sum) as nps_score_sum,
        cast(sum(nps_customers) as bigint) as nps_customers,
    from scheme_combinations
    group by scheme_code, month_index, from_segment_rank, to_segment_rank
)

select * from final
