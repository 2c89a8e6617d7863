-- The schemes the campaign planner has segments for (campaign_segments), named in the chosen language.
select
    scheme,
    min(scheme_code) as scheme_code,
    case when '${inputs.lang}' = 'zh' then min(scheme_label_zh) else min(scheme_label_en) end as scheme_label
from warehouse.campaign_segments
group by scheme
order by scheme_code
