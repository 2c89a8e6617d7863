-- Three points of the Pareto curve named in the text: the top 1 %, 10 % and 20 % of customers.
select
    max(revenue_share) filter (where customer_share_pct = 1) as top1_share_pct1,
    max(revenue_share) filter (where customer_share_pct = 10) as top10_share_pct1,
    max(revenue_share) filter (where customer_share_pct = 20) as top20_share_pct1,
    max(customers_total) as customers_total_num0
from warehouse.revenue_concentration
