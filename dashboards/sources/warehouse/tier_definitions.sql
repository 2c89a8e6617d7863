-- Mart tier_definitions: the tier scheme from the configuration (tier_rank 1 = top tier).
select
    tier,
    tier_rank,
    min_trailing_12m_revenue_cny,
    label_en,
    label_zh
from tier_definitions
