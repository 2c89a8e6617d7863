-- Every segmentation scheme at every month end, per buyer, with data up to that month end only: value tier,
-- ABC class, weighted score tier, RFM segment and lifecycle stage, each as a small integer rank (1 = top tier or
-- first rule), with hysteresis (a lower rank takes effect after N consecutive month ends below) and last month's
-- rank. One row per customer-month: the long customer × month × scheme history is a view over this table.
with raw_ranks as (
    select * from {{ ref('int_customer_segments_ranked') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

lagged as (
    -- one sort per customer serves hysteresis, last month's ranks and the comeback dates; the four ranks
    -- travel packed in one integer (a byte each) so six constant lags cover them all
    select
        *,
        lag(packed_ranks, 1) over by_month as packed_ranks_1,
        lag(packed_ranks, 2) over by_month as packed_ranks_2,
        lag(packed_ranks, 3) over by_month as packed_ranks_3,
        lag(packed_ranks, 4) over by_month as packed_ranks_4,
        lag(packed_ranks, 5) over by_month as packed_ranks_5,
        lag(packed_ranks, 6) over by_month as packed_ranks_6,
        max(comeback_date) over (by_month rows between unbounded preceding and current row) as latest_comeback_date,
        max(comeback_date) over (by_month rows between unbounded preceding and 1 preceding) as previous_latest_comeback_date,
        lag(last_order_date) over by_month as previous_last_order_date,
        lag(lifetime_orders_count) over by_month as previous_lifetime_orders_count,
        lag(trailing_orders_count) over by_month as previous_trailing_orders_count,
    from (
        select
            *,
            cast(raw_value_tier_rank + 256 * raw_abc_class_rank + 65536 * raw_score_tier_rank + 16777216 * raw_rfm_segment_rank as uinteger) as packed_ranks,
        from raw_ranks
    )
    window by_month as (partition by customer_key order by month_index)
),

held as (
    -- ranks: 1 = top, so the held rank is the best (lowest) raw rank of the last N month ends
    -- (N = downgrade_after_months, at most 6); last month's held rank likewise one month earlier. A month beyond N
    -- is pushed out of the running by adding 255 (arithmetic instead of CASE: this runs on every customer-month)
    select
        lagged.*,
        -- the month before is always a whole month: its end is the last day before this month
        case when lagged.previous_last_order_date is not null then last_day(lagged.month_end_date - interval 1 month) end as previous_month_end_date,
        cast(least(lagged.raw_value_tier_rank, lagged.packed_ranks_1 % 256 + 255 * (parameters.value_downgrade_after_months < 2)::int, lagged.packed_ranks_2 % 256 + 255 * (parameters.value_downgrade_after_months < 3)::int, lagged.packed_ranks_3 % 256 + 255 * (parameters.value_downgrade_after_months < 4)::int, lagged.packed_ranks_4 % 256 + 255 * (parameters.value_downgrade_after_months < 5)::int, lagged.packed_ranks_5 % 256 + 255 * (parameters.value_downgrade_after_months < 6)::int) as utinyint) as value_tier_rank,
        cast(least(lagged.packed_ranks_1 % 256, lagged.packed_ranks_2 % 256 + 255 * (parameters.value_downgrade_after_months < 2)::int, lagged.packed_ranks_3 % 256 + 255 * (parameters.value_downgrade_after_months < 3)::int, lagged.packed_ranks_4 % 256 + 255 * (parameters.value_downgrade_after_months < 4)::int, lagged.packed_ranks_5 % 256 + 255 * (parameters.value_downgrade_after_months < 5)::int, lagged.packed_ranks_6 % 256 + 255 * (parameters.value_downgrade_after_months < 6)::int) as utinyint) as previous_value_tier_rank,
        cast(least(lagged.raw_abc_class_rank, lagged.packed_ranks_1 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 2)::int, lagged.packed_ranks_2 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 3)::int, lagged.packed_ranks_3 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 4)::int, lagged.packed_ranks_4 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 5)::int, lagged.packed_ranks_5 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 6)::int) as utinyint) as abc_class_rank,
        cast(least(lagged.packed_ranks_1 // 256 % 256, lagged.packed_ranks_2 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 2)::int, lagged.packed_ranks_3 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 3)::int, lagged.packed_ranks_4 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 4)::int, lagged.packed_ranks_5 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 5)::int, lagged.packed_ranks_6 // 256 % 256 + 255 * (parameters.abc_downgrade_after_months < 6)::int) as utinyint) as previous_abc_class_rank,
        cast(least(lagged.raw_score_tier_rank, lagged.packed_ranks_1 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 2)::int, lagged.packed_ranks_2 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 3)::int, lagged.packed_ranks_3 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 4)::int, lagged.packed_ranks_4 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 5)::int, lagged.packed_ranks_5 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 6)::int) as utinyint) as score_tier_rank,
        cast(least(lagged.packed_ranks_1 // 65536 % 256, lagged.packed_ranks_2 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 2)::int, lagged.packed_ranks_3 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 3)::int, lagged.packed_ranks_4 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 4)::int, lagged.packed_ranks_5 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 5)::int, lagged.packed_ranks_6 // 65536 % 256 + 255 * (parameters.score_downgrade_after_months < 6)::int) as utinyint) as previous_score_tier_rank,
        cast(least(lagged.raw_rfm_segment_rank, lagged.packed_ranks_1 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 2)::int, lagged.packed_ranks_2 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 3)::int, lagged.packed_ranks_3 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 4)::int, lagged.packed_ranks_4 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 5)::int, lagged.packed_ranks_5 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 6)::int) as utinyint) as rfm_segment_rank,
        cast(least(lagged.packed_ranks_1 // 16777216 % 256, lagged.packed_ranks_2 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 2)::int, lagged.packed_ranks_3 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 3)::int, lagged.packed_ranks_4 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 4)::int, lagged.packed_ranks_5 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 5)::int, lagged.packed_ranks_6 // 16777216 % 256 + 255 * (parameters.rfm_downgrade_after_months < 6)::int) as utinyint) as previous_rfm_segment_rank,
    from lagged
    cross join parameters
),

final as (
    select
        held.customer_key,
        held.month_index,
        held.first_order_month_index,
        held.first_order_date,
        held.last_order_date,
        held.orders_count,
        held.revenue_cny,
        held.trailing_revenue_cny,
        held.trailing_orders_count,
        held.lifetime_orders_count,
        held.lifetime_revenue_cny,
        held.recency_days,
        held.average_satisfaction_score,
        held.average_nps_score,
        held.recency_score,
        held.frequency_score,
        held.monetary_score,
        cast(round(held.customer_score, 1) as decimal(4, 1)) as customer_score,
        held.value_tier_rank,
        held.previous_value_tier_rank,
        held.abc_class_rank,
        held.previous_abc_class_rank,
        held.score_tier_rank,
        held.previous_score_tier_rank,
        held.rfm_segment_rank,
        held.previous_rfm_segment_rank,
        -- lifecycle codes (config_segments): 1 new, 2 active, 3 loyal, 4 won back, 5 at risk, 6 churned; 0 = prospect
        cast(case
            when held.recency_days > parameters.lifecycle_churn_days then 6
            when held.tenure_days <= parameters.lifecycle_new_days then 1
            when held.month_end_date - held.latest_comeback_date <= parameters.lifecycle_new_days then 4
            when held.recency_days > parameters.lifecycle_at_risk_days
                or (held.lifetime_orders_count >= 2
                    and held.recency_days > parameters.lifecycle_at_risk_gap_min_days
                    and held.recency_days > parameters.lifecycle_at_risk_gap_multiple * (held.last_order_date - held.first_order_date) / (held.lifetime_orders_count - 1)) then 5
            when held.trailing_orders_count >= parameters.lifecycle_loyal_min_orders then 3
            else 2
        end as utinyint) as lifecycle_stage_code,
        -- the same rules on last month's values (0 = prospect before the first purchase month)
        cast(case
            when held.previous_month_end_date is null then 0
            when held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_churn_days then 6
            when held.previous_month_end_date - held.first_order_date <= parameters.lifecycle_new_days then 1
            when held.previous_month_end_date - held.previous_latest_comeback_date <= parameters.lifecycle_new_days then 4
            when held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_days
                or (held.previous_lifetime_orders_count >= 2
                    and held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_gap_min_days
                    and held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_gap_multiple * (held.previous_last_order_date - held.first_order_date) / (held.previous_lifetime_orders_count - 1)) then 5
            when held.previous_trailing_orders_count >= parameters.lifecycle_loyal_min_orders then 3
            else 2
        end as utinyint) as previous_lifecycle_stage_code,
    from held
    cross join parameters
)

select * from final
