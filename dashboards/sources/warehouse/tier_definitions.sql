-- Mart tier_definitions: the tier scheme from the configuration (tier_rank 1 = top tier).
select
    tier,
    tier_rank,
    min_trailing_revenue_cny,
    window_months,
    label_en,
    label_zh
from tier_definitions
