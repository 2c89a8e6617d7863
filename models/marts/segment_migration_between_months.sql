-- Moves between two month ends further apart than one month: for every enabled scheme, from the segment at any
-- earlier month end to the segment at the latest month (tier_migration_monthly has the month-to-month moves).
-- Small: schemes × earlier months × segment pairs. One pass: every earlier row of a customer who is there at the
-- latest month end, paired with that latest row; those with no earlier row (not yet buyers then) are what is
-- left of the latest month's segment counts.
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

latest as (
    select
        evaluated.customer_key,
        evaluated.month_index,
        evaluated.value_tier_rank, evaluated.abc_class_rank, evaluated.score_tier_rank, evaluated.rfm_segment_rank, evaluated.lifecycle_stage_code,
        evaluated.lifetime_revenue_cny,
    from evaluated
    inner join latest_month on latest_month.month_index = evaluated.month_index
),

paired as (
    select
        earlier.month_index as from_month_index,
        latest.value_tier_rank, latest.abc_class_rank, latest.score_tier_rank, latest.rfm_segment_rank, latest.lifecycle_stage_code,
        earlier.value_tier_rank as earlier_value_tier_rank,
        earlier.abc_class_rank as earlier_abc_class_rank,
        earlier.score_tier_rank as earlier_score_tier_rank,
        earlier.rfm_segment_rank as earlier_rfm_segment_rank,
        earlier.lifecycle_stage_code as earlier_lifecycle_stage_code,
        latest.lifetime_revenue_cny as latest_revenue_cny,
        earlier.lifetime_revenue_cny as earlier_revenue_cny,
    from evaluated as earlier
    inner join latest on latest.customer_key = earlier.customer_key
    where earlier.month_index < latest.month_index
),

matched_moves as (
    -- revenue between the two month ends: lifetime revenue now minus then; latest_revenue_cny is for the rest
    select from_month_index, 1 as scheme_code, earlier_value_tier_rank as from_segment_rank, value_tier_rank as to_segment_rank, count(*) as customers, sum(latest_revenue_cny - earlier_revenue_cny) as revenue_cny, sum(latest_revenue_cny) as latest_revenue_cny,
    from paired group by all
    union all
    select from_month_index, 2, earlier_abc_class_rank, abc_class_rank, count(*), sum(latest_revenue_cny - earlier_revenue_cny), sum(latest_revenue_cny),
    from paired group by all
    union all
    select from_month_index, 3, earlier_score_tier_rank, score_tier_rank, count(*), sum(latest_revenue_cny - earlier_revenue_cny), sum(latest_revenue_cny),
    from paired group by all
    union all
    select from_month_index, 4, earlier_rfm_segment_rank, rfm_segment_rank, count(*), sum(latest_revenue_cny - earlier_revenue_cny), sum(latest_revenue_cny),
    from paired group by all
    union all
    select from_month_index, 5, earlier_lifecycle_stage_code, lifecycle_stage_code, count(*), sum(latest_revenue_cny - earlier_revenue_cny), sum(latest_revenue_cny),
    from paired group by all
),

latest_segments as (
    select 1 as scheme_code, value_tier_rank as to_segment_rank, count(*) as customers, sum(lifetime_revenue_cny) as revenue_cny, from latest group by all
    union all
    select 2, abc_class_rank, count(*), sum(lifetime_revenue_cny), from latest group by all
    union all
    select 3, score_tier_rank, count(*), sum(lifetime_revenue_cny), from latest group by all
    union all
    select 4, rfm_segment_rank, count(*), sum(lifetime_revenue_cny), from latest group by all
    union all
    select 5, lifecycle_stage_code, count(*), sum(lifetime_revenue_cny), from latest group by all
),

matched_by_target as (
    select from_month_index, scheme_code, to_segment_rank, sum(customers) as customers, sum(latest_revenue_cny) as latest_revenue_cny,
    from matched_moves
    group by all
),

not_yet_buyers as (
    -- at the latest month end in this segment, with no row at the earlier month end: all their revenue is new
    select
        earlier_months.month_index as from_month_index,
        latest_segments.scheme_code,
        0 as from_segment_rank,
        latest_segments.to_segment_rank,
        latest_segments.customers - coalesce(matched_by_target.customers, 0) as customers,
        latest_segments.revenue_cny - coalesce(matched_by_target.latest_revenue_cny, 0) as revenue_cny,
    from latest_segments
    cross join months as earlier_months
    inner join latest_month on earlier_months.month_index < latest_month.month_index
    left join matched_by_target
        on matched_by_target.from_month_index = earlier_months.month_index
        and matched_by_target.scheme_code = latest_segments.scheme_code
        and matched_by_target.to_segment_rank = latest_segments.to_segment_rank
),

moves as (
    -- lifecycle's Prospect stage is rank 0 too: a prospect row then and no row then are one move
    select from_month_index, scheme_code, from_segment_rank, to_segment_rank, sum(customers) as customers, sum(revenue_cny) as revenue_cny,
    from (
        select from_month_index, scheme_code, from_segment_rank, to_segment_rank, customers, revenue_cny, from matched_moves
        union all
        select * from not_yet_buyers where customers > 0
    )
    group by all
),

final as (
    select
        to_segments.scheme,
        moves.scheme_code,
        latest_month.month_index - moves.from_month_index as months_back,
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
    cross join latest_month
    inner join months as to_months on to_months.month_index = latest_month.month_index
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
