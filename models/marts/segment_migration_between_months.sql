-- Moves between two month ends further apart than one month, for every enabled scheme: from the segment at any
-- earlier month end to the segment at the latest month, and between any two calendar quarter ends (with the latest
-- month as the last of them). tier_migration_monthly has the month-to-month moves. Every pair of every month end
-- would pair each customer's rows with all their others (about 80M pairs at a million customers); these pairs keep
-- one pass over the history for "to now" and one over a third of it for the quarters.
-- Small: schemes × comparisons × segment pairs. Customers with no row at the earlier month end (not yet buyers
-- then) are what is left of the later month's segment counts.
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

quarter_end_months as (
    -- calendar quarter ends, and the latest month (often inside a quarter)
    select month_index, is_as_of_month from months where is_as_of_month or month(month_start_date) in (3, 6, 9, 12)
),

comparisons as (
    -- to the latest month from every earlier one; between quarter ends from every earlier quarter end
    select
        from_months.month_index as from_month_index,
        latest_month.month_index as to_month_index,
    from months as from_months
    cross join latest_month
    where from_months.month_index < latest_month.month_index
    union
    select
        from_quarters.month_index,
        to_quarters.month_index,
    from quarter_end_months as from_quarters
    inner join quarter_end_months as to_quarters on from_quarters.month_index < to_quarters.month_index
),

segment_columns as (
    select
        evaluated.customer_key,
        evaluated.month_index,
        evaluated.value_tier_rank, evaluated.abc_class_rank, evaluated.score_tier_rank, evaluated.rfm_segment_rank, evaluated.lifecycle_stage_code,
        evaluated.lifetime_revenue_cny,
    from evaluated
),

latest as (
    select segment_columns.*
    from segment_columns
    inner join latest_month on latest_month.month_index = segment_columns.month_index
),

at_quarter_ends as (
    select segment_columns.*, quarter_end_months.is_as_of_month,
    from segment_columns
    inner join quarter_end_months on quarter_end_months.month_index = segment_columns.month_index
),

quarter_ends_before_latest as (
    select * exclude (is_as_of_month) from at_quarter_ends where not is_as_of_month
),

earlier_later_rows as (
    -- each pair once: every earlier row with the latest one; quarter-end rows with later quarter-end rows short of the latest
    select earlier.*, latest.month_index as later_month_index, latest.value_tier_rank as later_value_tier_rank,
        latest.abc_class_rank as later_abc_class_rank, latest.score_tier_rank as later_score_tier_rank,
        latest.rfm_segment_rank as later_rfm_segment_rank, latest.lifecycle_stage_code as later_lifecycle_stage_code,
        latest.lifetime_revenue_cny as later_revenue_cny,
    from segment_columns as earlier
    inner join latest on latest.customer_key = earlier.customer_key
    where earlier.month_index < latest.month_index
    union all
    select earlier.*, later.month_index, later.value_tier_rank, later.abc_class_rank, later.score_tier_rank,
        later.rfm_segment_rank, later.lifecycle_stage_code, later.lifetime_revenue_cny,
    from quarter_ends_before_latest as earlier
    inner join quarter_ends_before_latest as later
        on later.customer_key = earlier.customer_key
        and earlier.month_index < later.month_index
),

matched_moves as (
    -- one pass over the pairs, one grouping set per scheme; revenue between the two month ends is lifetime revenue
    -- then minus earlier, later_revenue_cny is for the rest
    select
        month_index as from_month_index,
        later_month_index as to_month_index,
        case
            when grouping(value_tier_rank) = 0 then 1
            when grouping(abc_class_rank) = 0 then 2
            when grouping(score_tier_rank) = 0 then 3
            when grouping(rfm_segment_rank) = 0 then 4
            else 5
        end as scheme_code,
        coalesce(value_tier_rank, abc_class_rank, score_tier_rank, rfm_segment_rank, lifecycle_stage_code) as from_segment_rank,
        coalesce(later_value_tier_rank, later_abc_class_rank, later_score_tier_rank, later_rfm_segment_rank, later_lifecycle_stage_code) as to_segment_rank,
        count(*) as customers,
        sum(later_revenue_cny - lifetime_revenue_cny) as revenue_cny,
        sum(later_revenue_cny) as later_revenue_cny,
    from earlier_later_rows
    group by grouping sets (
        (month_index, later_month_index, value_tier_rank, later_value_tier_rank),
        (month_index, later_month_index, abc_class_rank, later_abc_class_rank),
        (month_index, later_month_index, score_tier_rank, later_score_tier_rank),
        (month_index, later_month_index, rfm_segment_rank, later_rfm_segment_rank),
        (month_index, later_month_index, lifecycle_stage_code, later_lifecycle_stage_code)
    )
),

later_segments as (
    -- the segment counts of every month a comparison ends at: one pass, one grouping set per scheme as above
    select
        month_index,
        case
            when grouping(value_tier_rank) = 0 then 1
            when grouping(abc_class_rank) = 0 then 2
            when grouping(score_tier_rank) = 0 then 3
            when grouping(rfm_segment_rank) = 0 then 4
            else 5
        end as scheme_code,
        coalesce(value_tier_rank, abc_class_rank, score_tier_rank, rfm_segment_rank, lifecycle_stage_code) as to_segment_rank,
        count(*) as customers,
        sum(lifetime_revenue_cny) as revenue_cny,
    from at_quarter_ends
    group by grouping sets (
        (month_index, value_tier_rank),
        (month_index, abc_class_rank),
        (month_index, score_tier_rank),
        (month_index, rfm_segment_rank),
        (month_index, lifecycle_stage_code)
    )
),

matched_by_target as (
    select from_month_index, to_month_index, scheme_code, to_segment_rank, sum(customers) as customers, sum(later_revenue_cny) as later_revenue_cny,
    from matched_moves
    group by all
),

not_yet_buyers as (
    -- at the later month end in this segment, with no row at the earlier month end: all their revenue is new
    select
        comparisons.from_month_index,
        comparisons.to_month_index,
        later_segments.scheme_code,
        0 as from_segment_rank,
        later_segments.to_segment_rank,
        later_segments.customers - coalesce(matched_by_target.customers, 0) as customers,
        later_segments.revenue_cny - coalesce(matched_by_target.later_revenue_cny, 0) as revenue_cny,
    from comparisons
    inner join later_segments on later_segments.month_index = comparisons.to_month_index
    left join matched_by_target
        on matched_by_target.from_month_index = comparisons.from_month_index
        and matched_by_target.to_month_index = comparisons.to_month_index
        and matched_by_target.scheme_code = later_segments.scheme_code
        and matched_by_target.to_segment_rank = later_segments.to_segment_rank
),

moves as (
    -- lifecycle's Prospect stage is rank 0 too: a prospect row then and no row then are one move
    select from_month_index, to_month_index, scheme_code, from_segment_rank, to_segment_rank, sum(customers) as customers, sum(revenue_cny) as revenue_cny,
    from (
        select from_month_index, to_month_index, scheme_code, from_segment_rank, to_segment_rank, customers, revenue_cny, from matched_moves
        union all
        select * from not_yet_buyers where customers > 0
    )
    group by all
),

final as (
    select
        to_segments.scheme,
        moves.scheme_code,
        moves.to_month_index - moves.from_month_index as months_back,
        from_months.month_start_date as from_month_start_date,
        to_months.month_start_date as to_month_start_date,
        to_months.is_as_of_month as is_to_latest_month,
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
