-- One colour per segment of the chosen scheme (by rank, the same palette as tiers.sql), keyed by the segment's
-- name in the chosen language: series colours and order on every chart of a scheme.
select
    segment_rank,
    case when '${inputs.lang}' = 'zh' then segment_zh else segment end as segment_label,
    case segment_rank
        when 0 then '#cbd5e1'
        when 1 then '#1f4e89'
        when 2 then '#d39e1f'
        when 3 then '#8c99a6'
        when 4 then '#b7cde3'
        when 5 then '#46a485'
        when 6 then '#8f3d56'
        when 7 then '#e07b39'
        when 8 then '#7a5195'
        when 9 then '#3f7f3f'
        when 10 then '#c9b037'
        when 11 then '#5e8fb0'
        else '#6b7280'
    end as colour
from warehouse.segment_definitions
where scheme = '${inputs.scheme.value}'
order by segment_rank
