-- Moves between two month ends further apart than one month: for every enabled scheme, from the segment 1, 3, 6,
-- 12 and 24 months before the latest month to the segment at the latest month (tier_migration_monthly has the
-- month-to-month moves). Small: schemes × 5 comparisons × segment pairs; one pass over 5 latest-month × earlier pairs.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

segments as (
    select * from {{ ref('segment_definitions') }}
),

latest_month as (
    select month_index from months where is_as_of_month
),

comparisons as (
    select
        months_back,
        latest_month.month_index - months_back as from_month_index,
        latest_month.month_index as to_month_index,
    from latest_month
    cross join (values (1), (3), (6), (12), (24)) as offsets(months_back)
    -- only comparisons inside the history
    where latest_month.month_index - months_back in (select month_index from months)
),

paired as (
    -- every buyer at the latest month end with their row at the earlier month end (none = had not bought yet)
    select
        comparisons.months_back,
        comparisons.from_month_index,
        comparisons.to_month_index,
        latest.value_tier_rank, latest.abc_class_rank, latest.score_tier_rank, latest.rfm_segment_rank, latest.lifecycle_stage_code,
        coalesce(earlier.value_tier_rank, 0) as earlier_value_tier_rank,
        coalesce(earlier.abc_class_rank, 0) as earlier_abc_class_rank,
        coalesce(earlier.score_tier_rank, 0) as earlier_score_tier_rank,
        coalesce(earlier.rfm_segment_rank, 0) as earlier_rfm_segment_rank,
        coalesce(earlier.lifecycle_stage_code, 0) as earlier_lifecycle_stage_code,
        -- revenue between the two month ends: lifetime revenue now minus then
        latest.lifetime_revenue_cny - coalesce(earlier.lifetime_revenue_cny, 0) as revenue_cny,
    from comparisons
    inner join evaluated as latest on latest.month_index = comparisons.to_month_index
    left join evaluated as earlier
        on earlier.customer_key = latest.customer_key
        and earlier.month_index = comparisons.from_month_index
),

moves as (
    select months_back, from_month_index, to_month_index, 1 as scheme_code, earlier_value_tier_rank as from_segment_rank, value_tier_rank as to_segment_rank, count(*) as customers, sum(revenue_cny) as revenue_cny,
    from paired group by all
    union all
    select months_back, from_month_index, to_month_index, 2, earlier_abc_class_rank, abc_class_rank, count(*), sum(revenue_cny),
    from paired group by all
    union all
    select months_back, from_month_index, to_month_index, 3, earlier_score_tier_rank, score_tier_rank, count(*), sum(revenue_cny),
    from paired group by all
    union all
    select months_back, from_month_index, to_month_index, 4, earlier_rfm_segment_rank, rfm_segment_rank, count(*), sum(revenue_cny),
    from paired group by all
    union all
    select months_back, from_month_index, to_month_index, 5, earlier_lifecycle_stage_code, lifecycle_stage_code, count(*), sum(revenue_cny),
    from paired group by all
),

final as (
    select
        to_segments.scheme,
        moves.scheme_code,
        moves.months_back,
        from_months.month_start_date as from_month_start_date,
        to_months.month_start_date as to_month_start_date,
        moves.from_segment_rank,
        coalesce(from_segments.segment, 'Prospect') as from_segment,
        coalesce(from_segments.segment_zh, '潜在客户') as from_segment_zh,
        moves.to_segment_rank,
        to_segments.segment as to_segment,
        to_segments.segment_zh as to_segment_zh,
        moves.customers,
        cast(round(moves.revenue_cny, 2) as decimal(18, 2)) as revenue_cny,
    from moves
    inner join months as from_months on from_months.month_index = moves.from_month_index
    inner join months as to_months on to_months.month_index = moves.to_month_index
    inner join segments as to_segments
        on to_segments.scheme_code = moves.scheme_code
        and to_segments.segment_rank = moves.to_segment_rank
    left join segments as from_segments
        on from_segments.scheme_code = moves.scheme_code
        and from_segments.segment_rank = moves.from_segment_rank
        -- lifecycle rank 0 is the Prospect stage itself; other schemes have no rank 0
        and moves.from_segment_rank > 0
)

select * from final
