-- Mart tier_migration_monthly: month-to-month moves per scheme (from -> to, customers, revenue).
select
    scheme,
    scheme_code,
    month_start_date,
    from_segment_rank,
    from_segment,
    from_segment_zh,
    to_segment_rank,
    to_segment,
    to_segment_zh,
    customers,
    cast(revenue_cny as double) as revenue_cny
from tier_migration_monthly
