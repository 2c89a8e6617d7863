-- Every segmentation scheme at every month end, per buyer, with data up to that month end only: value tier,
-- ABC class, weighted score tier, RFM segment and lifecycle stage, each as a small integer rank (1 = top tier or
-- first rule), with hysteresis (a lower rank takes effect after N consecutive month ends below) and last month's
-- rank. One row per customer-month: the long customer × month × scheme history is a view over this table.
with raw_ranks as (
    select * from {{ ref('int_customer_segments_ranked') }}
),

packed as (
    -- the five ranks travel packed in one integer (a byte each: value, abc, score, rfm, lifecycle), so the one
    -- sort per customer below moves one column instead of five. Signed: unsigned plus int arithmetic below would
    -- widen every term to HUGEINT, which made the hysteresis step three times slower
    select
        *,
        raw_value_tier_rank::bigint | (raw_abc_class_rank::bigint << 8) | (raw_score_tier_rank::bigint << 16)
            | (raw_rfm_segment_rank::bigint << 24) | (lifecycle_stage_code::bigint << 32) as packed_ranks,
    from raw_ranks
),

lagged as (
    -- the ranks of the six month ends before: hysteresis needs the last N (N = downgrade_after_months, at most 6)
    -- and last month's held rank one month further
    select
        *,
        lag(packed_ranks, 1) over by_month as packed_ranks_1,
        lag(packed_ranks, 2) over by_month as packed_ranks_2,
        lag(packed_ranks, 3) over by_month as packed_ranks_3,
        lag(packed_ranks, 4) over by_month as packed_ranks_4,
        lag(packed_ranks, 5) over by_month as packed_ranks_5,
        lag(packed_ranks, 6) over by_month as packed_ranks_6,
    from packed
    window by_month as (partition by customer_key order by month_index)
),

held as (
    -- ranks: 1 = top, so the held rank is the best (lowest) raw rank of the last N month ends; last month's held
    -- rank likewise one month earlier (null in the first purchase month). Nested CASEs, one per month back, so a
    -- month beyond N is never looked at: this runs on every customer-month, and N is 1 or 2 in most configs
    select
        lagged.*,
        cast(least(lagged.raw_value_tier_rank, case when {{ param('value_downgrade_after_months') }} >= 2 then least((lagged.packed_ranks_1 & 255), case when {{ param('value_downgrade_after_months') }} >= 3 then least((lagged.packed_ranks_2 & 255), case when {{ param('value_downgrade_after_months') }} >= 4 then least((lagged.packed_ranks_3 & 255), case when {{ param('value_downgrade_after_months') }} >= 5 then least((lagged.packed_ranks_4 & 255), case when {{ param('value_downgrade_after_months') }} >= 6 then (lagged.packed_ranks_5 & 255) end) end) end) end) end) as utinyint) as value_tier_rank,
        cast(least((lagged.packed_ranks_1 & 255), case when {{ param('value_downgrade_after_months') }} >= 2 then least((lagged.packed_ranks_2 & 255), case when {{ param('value_downgrade_after_months') }} >= 3 then least((lagged.packed_ranks_3 & 255), case when {{ param('value_downgrade_after_months') }} >= 4 then least((lagged.packed_ranks_4 & 255), case when {{ param('value_downgrade_after_months') }} >= 5 then least((lagged.packed_ranks_5 & 255), case when {{ param('value_downgrade_after_months') }} >= 6 then (lagged.packed_ranks_6 & 255) end) end) end) end) end) as utinyint) as previous_value_tier_rank,
        cast(least(lagged.raw_abc_class_rank, case when {{ param('abc_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_1 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_2 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_3 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_4 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_5 >> 8) & 255) end) end) end) end) end) as utinyint) as abc_class_rank,
        cast(least(((lagged.packed_ranks_1 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_2 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_3 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_4 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_5 >> 8) & 255), case when {{ param('abc_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_6 >> 8) & 255) end) end) end) end) end) as utinyint) as previous_abc_class_rank,
        cast(least(lagged.raw_score_tier_rank, case when {{ param('score_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_1 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_2 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_3 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_4 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_5 >> 16) & 255) end) end) end) end) end) as utinyint) as score_tier_rank,
        cast(least(((lagged.packed_ranks_1 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_2 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_3 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_4 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_5 >> 16) & 255), case when {{ param('score_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_6 >> 16) & 255) end) end) end) end) end) as utinyint) as previous_score_tier_rank,
        cast(least(lagged.raw_rfm_segment_rank, case when {{ param('rfm_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_1 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_2 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_3 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_4 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_5 >> 24) & 255) end) end) end) end) end) as utinyint) as rfm_segment_rank,
        cast(least(((lagged.packed_ranks_1 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 2 then least(((lagged.packed_ranks_2 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 3 then least(((lagged.packed_ranks_3 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 4 then least(((lagged.packed_ranks_4 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 5 then least(((lagged.packed_ranks_5 >> 24) & 255), case when {{ param('rfm_downgrade_after_months') }} >= 6 then ((lagged.packed_ranks_6 >> 24) & 255) end) end) end) end) end) as utinyint) as previous_rfm_segment_rank,
        -- lifecycle stages have no hysteresis; 0 = a prospect at the previous month end (before the first purchase)
        cast(coalesce(lagged.packed_ranks_1 >> 32, 0) as utinyint) as previous_lifecycle_stage_code,
    from lagged
),

final as (
    select
        customer_key,
        month_index,
        first_order_month_index,
        first_order_date,
        last_order_date,
        orders_count,
        revenue_cny,
        trailing_revenue_cny,
        trailing_orders_count,
        lifetime_orders_count,
        lifetime_revenue_cny,
        recency_days,
        average_satisfaction_score,
        average_nps_score,
        recency_score,
        frequency_score,
        monetary_score,
        cast(round(customer_score, 1) as decimal(4, 1)) as customer_score,
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
    from held
)

select * from final
