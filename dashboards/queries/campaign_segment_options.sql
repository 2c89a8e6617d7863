-- The segments of the chosen scheme, for the customer-list dropdown.
select distinct
    segment,
    segment_rank,
    case when '${inputs.lang}' = 'zh' then segment_zh else segment end as segment_label
from warehouse.campaign_segments
where scheme = '${inputs.scheme.value}'
order by segment_rank
