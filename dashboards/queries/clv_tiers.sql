-- The CLV tiers, top first, with one colour each (the same palette as tiers.sql): series order and colours.
select
    clv_tier,
    min(clv_tier_rank) as clv_tier_rank,
    case min(clv_tier_rank) when 1 then '#1f4e89' when 2 then '#d39e1f' when 3 then '#8c99a6' else '#b7cde3' end as colour
from warehouse.clv_distribution
group by clv_tier
order by clv_tier_rank
