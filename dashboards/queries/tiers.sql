-- The tiers, top first, with the colour that stands for each tier on every chart (tier named in the chosen language).
select
    case when '${inputs.lang}' = 'zh' then label_zh else tier end as tier,
    tier as tier_en,
    tier_rank,
    label_en,
    label_zh,
    min_trailing_revenue_cny,
    window_months,
    case tier_rank
        when 1 then '#1f4e89'
        when 2 then '#d39e1f'
        when 3 then '#8c99a6'
        when 4 then '#b7cde3'
        when 5 then '#46a485'
        when 6 then '#8f3d56'
        else '#6b7280'
    end as colour
from warehouse.tier_definitions
order by tier_rank
