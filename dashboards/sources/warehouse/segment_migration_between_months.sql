-- Mart segment_migration_between_months: moves from any earlier month end to the latest month end, and between
-- calendar quarter ends.
select
    scheme,
    scheme_code,
    months_back,
    from_month_start_date,
    to_month_start_date,
    is_to_latest_month,
    -- what the page's comparison dropdown picks: both months, e.g. '2026-06_2026-09'
    strftime(from_month_start_date, '%Y-%m') || '_' || strftime(to_month_start_date, '%Y-%m') as comparison_key,
    from_segment_rank,
    from_segment,
    from_segment_zh,
    to_segment_rank,
    to_segment,
    to_segment_zh,
    customers,
    cast(revenue_cny as double) as revenue_cny
from segment_migration_between_months
