-- The schemes the monthly marts hold (segment_kpis_monthly), for the scheme dropdown, named in the chosen language.
-- Read from the data, not from segment_definitions alone: a scheme without monthly rows has nothing to chart.
select
    d.scheme,
    min(d.scheme_code) as scheme_code,
    case when '${inputs.lang}' = 'zh' then min(d.scheme_label_zh) else min(d.scheme_label_en) end as scheme_label
from warehouse.segment_definitions as d
where d.scheme in (select distinct scheme from warehouse.segment_kpis_monthly)
group by d.scheme
order by scheme_code
