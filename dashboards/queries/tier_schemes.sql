-- The schemes with a monthly history (segment_kpis_monthly) and CLV tiers (clv_tier_kpis_monthly: one month per
-- run kept), for the scheme dropdown of Tiers over time, named in the chosen language.
select
    d.scheme,
    min(d.scheme_code) as scheme_code,
    case when '${inputs.lang}' = 'zh' then min(d.scheme_label_zh) else min(d.scheme_label_en) end as scheme_label
from warehouse.segment_definitions as d
where d.scheme in (select distinct scheme from warehouse.segment_kpis_monthly)
    or d.scheme in (select distinct scheme from warehouse.clv_tier_kpis_monthly)
group by d.scheme
order by scheme_code
