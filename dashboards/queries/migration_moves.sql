-- Moves of the chosen scheme between the chosen two month ends (comparison_key 'YYYY-MM_YYYY-MM'). Sankey nodes
-- carry their month so that a segment on the left and the same segment on the right are two nodes.
with named as (
    select
        m.*,
        '${inputs.lang}' = 'zh' as zh
    from warehouse.segment_migration_between_months as m
    where m.scheme = '${inputs.scheme.value}'
        and m.comparison_key = '${inputs.comparison.value}'
)
select
    from_segment_rank,
    to_segment_rank,
    case when zh then from_segment_zh else from_segment end as from_label,
    case when zh then to_segment_zh else to_segment end as to_label,
    (case when zh then strftime(from_month_start_date, '%Y年%-m月') else strftime(from_month_start_date, '%b %Y') end)
        || ' · ' || (case when zh then from_segment_zh else from_segment end) as source,
    (case when zh then strftime(to_month_start_date, '%Y年%-m月') else strftime(to_month_start_date, '%b %Y') end)
        || ' · ' || (case when zh then to_segment_zh else to_segment end) as target,
    customers,
    customers as customers_num0,
    revenue_cny,
    case
        when from_segment_rank = 0 then 'new'
        when scheme in ('rfm', 'lifecycle') then 'moved'
        when to_segment_rank < from_segment_rank then 'up'
        when to_segment_rank > from_segment_rank then 'down'
        else 'same'
    end as direction
from named
order by from_segment_rank, to_segment_rank
