-- Revenue at stake per segment as rows (trailing revenue, CLV), named in the chosen language, for a grouped bar chart.
select segment_rank, segment_label, case when '${inputs.lang}' = 'zh' then '近期收入（会员等级窗口）' else 'Trailing revenue (member-level window)' end as measure, trailing_revenue_cny as amount_cny from ${plan}
union all
select segment_rank, segment_label, case when '${inputs.lang}' = 'zh' then '客户终身价值（预测）' else 'CLV (forecast)' end, clv_cny from ${plan}
order by segment_rank, measure
