-- Time windows named in titles: the full range of months in the warehouse, and the last 12 of them.
select
    min(month_start_date) as first_month,
    max(month_start_date) as latest_month,
    strftime(min(month_start_date), '%b %Y') || ' – ' || strftime(max(month_start_date), '%b %Y') as full_window_label,
    strftime(greatest(min(month_start_date), max(month_start_date) - interval 11 month), '%b %Y')
        || ' – ' || strftime(max(month_start_date), '%b %Y') as last_12m_window_label,
    strftime(max(month_start_date), '%B %Y') as latest_month_label,
    strftime(max(month_start_date), '%b %Y') as latest_month_short_label
from warehouse.tier_kpis_monthly
