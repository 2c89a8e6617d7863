-- The long history: one row per customer, month end and enabled scheme, with the segment rank and last month's.
-- A view over int_customer_segments_evaluated (one row per customer-month), so the long form costs no storage.
with evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

segments as (
    select * from {{ source('config', 'segments') }}
),

enabled_schemes as (
    select distinct scheme_code from segments where scheme_enabled
),

unpivoted as (
    select
        evaluated.customer_key,
        evaluated.month_index,
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
        unpivoted.customer_key,
        unpivoted.month_index,
        cast(unpivoted.scheme_code as utinyint) as scheme_code,
        cast(unpivoted.segment_rank as utinyint) as segment_rank,
        cast(unpivoted.previous_segment_rank as utinyint) as previous_segment_rank,
    from unpivoted
    inner join enabled_schemes using (scheme_code)
)

select * from final
