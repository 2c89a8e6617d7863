-- Average CLV per tenth of P(alive), all CLV tiers together (customers without a fitted model left out).
select
    band_rank,
    band_label,
    sum(clv_cny) / sum(customers) as average_clv_cny,
    sum(customers) as customers_num0
from warehouse.clv_distribution
where grouping = 'p_alive_band' and band_rank > 0
group by band_rank, band_label
order by band_rank
