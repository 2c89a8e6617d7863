-- The scheme chosen in the dropdown, with its name in the chosen language (for titles).
select
    scheme,
    case when '${inputs.lang}' = 'zh' then min(scheme_label_zh) else min(scheme_label_en) end as scheme_label
from warehouse.segment_definitions
where scheme = '${inputs.scheme.value}'
group by scheme
