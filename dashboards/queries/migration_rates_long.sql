-- The same rates as rows (one series per direction, named in the chosen language) for the line chart.
select month, case when '${inputs.lang}' = 'zh' then '升级率' else 'Upgrade rate' end as direction, upgrade_rate_pct1 as rate_pct1 from ${rates}
union all
select month, case when '${inputs.lang}' = 'zh' then '降级率' else 'Downgrade rate' end, downgrade_rate_pct1 from ${rates}
order by month
