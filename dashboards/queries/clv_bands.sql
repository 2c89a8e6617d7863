-- Customers per CLV band and CLV tier (mart clv_distribution; CLV over the horizon in models/clv.yml).
select
    band_rank,
    band_label,
    clv_tier_rank,
    clv_tier,
    customers as customers_num0,
    clv_cny
from warehouse.clv_distribution
where grouping = 'clv_band'
order by band_rank, clv_tier_rank
