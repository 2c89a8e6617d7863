-- Headline of the chosen comparison: customers now, how many stayed, moved up, moved down, were new.
select
    sum(customers) as customers_num0,
    coalesce(sum(customers) filter (where direction = 'same'), 0) / sum(customers) as stayed_pct1,
    coalesce(sum(customers) filter (where direction = 'up'), 0) / sum(customers) as upgraded_pct1,
    coalesce(sum(customers) filter (where direction = 'down'), 0) / sum(customers) as downgraded_pct1,
    coalesce(sum(customers) filter (where direction = 'new'), 0) as new_customers_num0
from ${moves}
