-- Mart clv_distribution: customers per CLV tier and CLV band / P(alive) band (aggregated, never per customer).
select grouping, clv_tier, clv_tier_rank, band_rank, band_label, customers, clv_cny, average_clv_cny, at_risk_customers, average_p_alive
from clv_distribution
