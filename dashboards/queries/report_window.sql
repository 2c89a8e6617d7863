-- Time windows named in titles: the full range of months in the warehouse, and the last 12 of them (in the chosen language).
with bounds as (
    select
        min(month_start_date) as first_month,
        max(month_start_date) as latest_month,
        greatest(min(month_start_date), max(month_start_date) - interval 11 month) as last_12m_first_month,
        '${inputs.lang}' = 'zh' as zh
    from warehouse.tier_kpis_monthly
)
select
    first_month,
    latest_month,
    case when zh then strftime(first_month, '%Y年%-m月') || ' – ' || strftime(latest_month, '%Y年%-m月')
        else strftime(first_month, '%b %Y') || ' – ' || strftime(latest_month, '%b %Y') end as full_window_label,
    case when zh then strftime(last_12m_first_month, '%Y年%-m月') || ' – ' || strftime(latest_month, '%Y年%-m月')
        else strftime(last_12m_first_month, '%b %Y') || ' – ' || strftime(latest_month, '%b %Y') end as last_12m_window_label,
    case when zh then strftime(latest_month, '%Y年%-m月') else strftime(latest_month, '%B %Y') end as latest_month_label,
    case when zh then strftime(latest_month, '%Y年%-m月') else strftime(latest_month, '%b %Y') end as latest_month_short_label
from bounds
