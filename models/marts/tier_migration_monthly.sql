-- Migration between segments, per scheme and month: how many customers moved from which segment to which.
with transitions as (
    select * from {{ ref('int_segment_transitions_aggregated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

segments as (
    select * from {{ ref('segment_definitions') }}
),

prospect as (
    -- before their first purchase every customer is a prospect, whatever the scheme
    select segment, segment_zh from {{ source('config', 'segments') }} where scheme = 'lifecycle' and segment_rank = 0
),

final as (
    select
        to_segments.scheme,
        transitions.scheme_code,
        months.month_start_date,
        transitions.from_segment_rank,
        coalesce(from_segments.segment, prospect.segment) as from_segment,
        coalesce(from_segments.segment_zh, prospect.segment_zh) as from_segment_zh,
        transitions.to_segment_rank,
        to_segments.segment as to_segment,
        to_segments.segment_zh as to_segment_zh,
        transitions.customers,
        cast(transitions.revenue_cny as decimal(18, 2)) as revenue_cny,
    from transitions
    inner join months using (month_index)
    inner join segments as to_segments
        on to_segments.scheme_code = transitions.scheme_code
        and to_segments.segment_rank = transitions.to_segment_rank
    left join segments as from_segments
        on from_segments.scheme_code = transitions.scheme_code
        and from_segments.segment_rank = transitions.from_segment_rank
    cross join prospect
)

select * from final
